package dev.tongxing.hub.resilience;

import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.hub.sources.SourceRegistry;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import dev.tongxing.hub.config.ManifestProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One {@link SourceGuard} per configured source, with breaker state exported as metrics, and the
 * one thread that hands out capacity to calls waiting for it (manifest entries, prefetches).
 */
@Component
public class SourceGuards implements DisposableBean {

    private final Map<String, SourceGuard> bySource = new LinkedHashMap<>();
    private final ScheduledExecutorService pacing = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("source-pacer").daemon().factory());

    public SourceGuards(SourceRegistry registry, ManifestProperties manifests, Clock clock, MeterRegistry meters, FleetShare fleetShare) {
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        RateLimiterRegistry rateLimiters = RateLimiterRegistry.ofDefaults();
        BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
        SourceGuard.Waiting waiting = new SourceGuard.Waiting(manifests.scanReserve(), manifests.prefetchShare(),
                manifests.maxWaitingPerSource(), pacing);
        for (SourceSettings source : registry.all()) {
            bySource.put(source.id(), new SourceGuard(source.id(), registry.properties(source.id()).resilience(), clock, meters,
                    breakers, rateLimiters, bulkheads, waiting, () -> fleetShare.tryAcquire(source.id())));
        }
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
    }

    public SourceGuard of(String sourceId) {
        SourceGuard guard = bySource.get(sourceId);
        if (guard == null) {
            throw new IllegalArgumentException("no source '" + sourceId + "'");
        }
        return guard;
    }

    public Collection<SourceGuard> all() {
        return bySource.values();
    }

    @Override
    public void destroy() {
        pacing.shutdownNow();
    }
}
