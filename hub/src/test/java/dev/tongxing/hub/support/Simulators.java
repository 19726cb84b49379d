package dev.tongxing.hub.support;

import dev.tongxing.hub.config.HubProperties;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedSystems;
import java.time.Clock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.SmartLifecycle;

/**
 * The simulated systems for a test hub, as the demo application's DemoSources starts them (the
 * hub itself has none): on {@code tongxing.demo.port} and {@code grpc-port}, with the demo's
 * population and latency. Import it into a test that needs real province systems behind the
 * demo configuration.
 */
@TestConfiguration(proxyBeanMethods = false)
public class Simulators implements SmartLifecycle {

    private final HubProperties.Demo settings;
    private final Clock clock;
    private volatile SimulatedSystems systems;

    public Simulators(HubProperties properties, Clock clock) {
        this.settings = properties.demo();
        this.clock = clock;
    }

    @Override
    public void start() {
        systems = SimulatedSystems.start(settings.port(), settings.grpcPort(), new SimulatedPopulation(settings.travelers()),
                settings.minLatency(), settings.maxLatency(), clock);
    }

    /** Before the gRPC server, so sources are up when the first call arrives. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }

    @Override
    public void stop() {
        if (systems != null) {
            systems.close();
            systems = null;
        }
    }

    @Override
    public boolean isRunning() {
        return systems != null;
    }
}
