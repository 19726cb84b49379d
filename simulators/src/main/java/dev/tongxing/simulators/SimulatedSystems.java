package dev.tongxing.simulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;

/**
 * Every simulated system of demo mode, started and stopped together: the HTTP ones on one
 * loopback port ({@link SimulatedSources}) and Sichuan, which speaks the hub's gRPC contract, on
 * another ({@link SichuanTfjkt}). One class so that the demo application and the hub's tests start
 * the same systems the same way.
 */
public final class SimulatedSystems implements AutoCloseable {

    private final SimulatedSources http;
    private final SichuanTfjkt grpc;

    private SimulatedSystems(SimulatedSources http, SichuanTfjkt grpc) {
        this.http = http;
        this.grpc = grpc;
    }

    /**
     * Starts both on 127.0.0.1 (0 picks a free port). A port in use fails with a message naming
     * the property that sets it, and leaves nothing running.
     */
    public static SimulatedSystems start(int httpPort, int grpcPort, SimulatedPopulation population,
                                         Duration minLatency, Duration maxLatency, Clock clock) {
        // One count of arrivals for both, served by the HTTP one.
        Arrivals arrivals = new Arrivals();
        SimulatedSources http;
        try {
            http = SimulatedSources.start(httpPort, population, minLatency, maxLatency, clock, arrivals);
        } catch (IOException e) {
            throw new UncheckedIOException("demo mode: cannot start simulated sources on 127.0.0.1:" + httpPort
                    + " (set tongxing.demo.port to a free port)", e);
        }
        try {
            return new SimulatedSystems(http, SichuanTfjkt.start(grpcPort, population, minLatency, maxLatency, clock, arrivals));
        } catch (IOException e) {
            http.close();
            throw new UncheckedIOException("demo mode: cannot start simulated Sichuan (gRPC) on 127.0.0.1:" + grpcPort
                    + " (set tongxing.demo.grpc-port to a free port)", e);
        }
    }

    /** Port of the HTTP systems. */
    public int httpPort() {
        return http.port();
    }

    /** Port of simulated Sichuan's gRPC server. */
    public int grpcPort() {
        return grpc.port();
    }

    @Override
    public void close() {
        grpc.close();
        http.close();
    }
}
