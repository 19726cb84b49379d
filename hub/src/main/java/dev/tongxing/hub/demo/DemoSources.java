package dev.tongxing.hub.demo;

import dev.tongxing.hub.config.HubProperties;
import dev.tongxing.simulators.SichuanTfjkt;
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
 * The embedded default: simulated province, travel-card and carrier-SMS systems on loopback (HTTP
 * on {@code tongxing.demo.port}; Sichuan, which speaks the hub's gRPC contract, on
 * {@code tongxing.demo.grpc-port}), so the hub answers real lookups the moment it starts. Off in any real deployment ({@code tongxing.demo.enabled=false}).
 */
@Component
@ConditionalOnProperty(name = "tongxing.demo.enabled", havingValue = "true", matchIfMissing = true)
public class DemoSources implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DemoSources.class);

    private final HubProperties.Demo settings;
    private final Clock clock;
    private volatile SimulatedSources sources;
    private volatile SichuanTfjkt sichuan;

    public DemoSources(HubProperties properties, Clock clock) {
        this.settings = properties.demo();
        this.clock = clock;
    }

    @Override
    public void start() {
        SimulatedPopulation population = new SimulatedPopulation(settings.travelers());
        try {
            sources = SimulatedSources.start(settings.port(), population, settings.minLatency(), settings.maxLatency(), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("demo mode: cannot start simulated sources on 127.0.0.1:" + settings.port()
                    + " (set tongxing.demo.port to a free port)", e);
        }
        try {
            sichuan = SichuanTfjkt.start(settings.grpcPort(), population, settings.minLatency(), settings.maxLatency(), clock);
        } catch (IOException e) {
            sources.close();
            sources = null;
            throw new UncheckedIOException("demo mode: cannot start simulated Sichuan (gRPC) on 127.0.0.1:" + settings.grpcPort()
                    + " (set tongxing.demo.grpc-port to a free port)", e);
        }
        // Simulated people, but the rule holds all the same: no document number goes to a log.
        log.info("Demo mode: {} simulated travelers on http://127.0.0.1:{} (HTTP) and :{} (gRPC); README.md names some to try.",
                settings.travelers(), sources.port(), sichuan.port());
    }

    /** Before the gRPC server, so sources are up when the first call arrives. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }

    @Override
    public void stop() {
        if (sichuan != null) {
            sichuan.close();
            sichuan = null;
        }
        if (sources != null) {
            sources.close();
            sources = null;
        }
    }

    @Override
    public boolean isRunning() {
        return sources != null;
    }
}
