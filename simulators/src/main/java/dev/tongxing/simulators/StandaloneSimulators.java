package dev.tongxing.simulators;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The simulated systems as a process of their own, for a local fleet (deploy/local-fleet.sh): several
 * hub replicas query one set of provinces, as in production, instead of each starting its own. The
 * ports and population are those of the demo configuration (tongxing-demo.yml) unless given:
 * {@code [http-port [grpc-port [travelers]]]}. Runs until the process is stopped.
 */
public final class StandaloneSimulators {

    private StandaloneSimulators() {}

    public static void main(String[] args) throws InterruptedException {
        int httpPort = args.length > 0 ? Integer.parseInt(args[0]) : 18480;
        int grpcPort = args.length > 1 ? Integer.parseInt(args[1]) : 18481;
        int travelers = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        SimulatedSystems systems = SimulatedSystems.start(httpPort, grpcPort, new SimulatedPopulation(travelers),
                Duration.ofMillis(15), Duration.ofMillis(60), Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(systems::close, "simulators-stop"));
        System.out.printf("simulated systems: %d travelers on http://127.0.0.1:%d (HTTP) and :%d (gRPC)%n",
                travelers, systems.httpPort(), systems.grpcPort());
        new CountDownLatch(1).await();
    }
}
