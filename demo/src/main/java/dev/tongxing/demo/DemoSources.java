package dev.tongxing.demo;

import dev.tongxing.hub.config.HubProperties;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedSystems;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Demo mode's simulated province, travel-card and carrier-SMS systems on loopback (HTTP on
 * {@code tongxing.demo.port}; Sichuan, which speaks the hub's gRPC contract, on
 * {@code tongxing.demo.grpc-port}), so the hub answers real lookups the moment it starts.
 */
public class DemoSources implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoSources.class);

    private final HubProperties.Demo settings;
    private final Clock clock;
    private volatile SimulatedSystems systems;

    public DemoSources(HubProperties properties, Clock clock) {
        this.settings = properties.demo();
        this.clock = clock;
        if (!settings.enabled()) {
            // The demo configuration's sources point at these simulators; without demo mode they would not run.
            throw new IllegalStateException("the demo application needs tongxing.demo.enabled=true");
        }
    }

    @Override
    public void start() {
        systems = SimulatedSystems.start(settings.port(), settings.grpcPort(), new SimulatedPopulation(settings.travelers()),
                settings.minLatency(), settings.maxLatency(), clock);
        // Simulated people, but the rule holds all the same: no document number goes to a log.
        log.info("Demo mode: {} simulated travelers on http://127.0.0.1:{} (HTTP) and :{} (gRPC); README.md names some to try.",
                settings.travelers(), systems.httpPort(), systems.grpcPort());
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
