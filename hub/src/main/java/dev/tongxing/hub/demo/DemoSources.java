package dev.tongxing.hub.demo;

import dev.tongxing.hub.config.HubProperties;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The embedded default: simulated Shaanxi and travel-card systems on loopback, so the hub answers
 * real lookups the moment it starts. Off in any real deployment ({@code tongxing.demo.enabled=false}).
 */
@Component
@ConditionalOnProperty(name = "tongxing.demo.enabled", havingValue = "true", matchIfMissing = true)
public class DemoSources implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoSources.class);

    private final HubProperties.Demo settings;
    private final Clock clock;
    private volatile SimulatedSources sources;

    public DemoSources(HubProperties properties, Clock clock) {
        this.settings = properties.demo();
        this.clock = clock;
    }

    @Override
    public void start() {
        try {
            sources = SimulatedSources.start(settings.port(), new SimulatedPopulation(settings.travelers()),
                    settings.minLatency(), settings.maxLatency(), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("demo mode: cannot start simulated sources on 127.0.0.1:" + settings.port()
                    + " (set tongxing.demo.port to a free port)", e);
        }
        // Simulated people, but the rule holds all the same: no document number goes to a log.
        log.info("Demo mode: {} simulated travelers on http://127.0.0.1:{}; README.md names some to try.",
                settings.travelers(), sources.port());
    }

    /** Before the gRPC server, so sources are up when the first call arrives. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }

    @Override
    public void stop() {
        if (sources != null) {
            sources.close();
            sources = null;
        }
    }

    @Override
    public boolean isRunning() {
        return sources != null;
    }

    public SimulatedSources sources() {
        return sources;
    }
}
