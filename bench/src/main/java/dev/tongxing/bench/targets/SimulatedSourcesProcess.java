package dev.tongxing.bench.targets;

import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedSystems;
import java.time.Clock;
import java.time.Duration;

/**
 * The simulated province and travel-card systems as a process of their own, so that the hub under
 * test does not share its heap and CPU with them and a population of a million fits.
 * Args: {@code <http port> <grpc port> <travelers> <min latency ms> <max latency ms>}.
 */
public final class SimulatedSourcesProcess {

    private SimulatedSourcesProcess() {}

    public static void main(String[] args) throws Exception {
        SimulatedPopulation population = new SimulatedPopulation(Integer.parseInt(args[2]));
        SimulatedSystems systems = SimulatedSystems.start(Integer.parseInt(args[0]), Integer.parseInt(args[1]), population,
                Duration.ofMillis(Long.parseLong(args[3])), Duration.ofMillis(Long.parseLong(args[4])), Clock.systemUTC());
        System.out.println("READY simulated sources on 127.0.0.1:" + systems.httpPort() + " (HTTP) and :" + systems.grpcPort() + " (gRPC)");
        Thread.currentThread().join();
    }
}
