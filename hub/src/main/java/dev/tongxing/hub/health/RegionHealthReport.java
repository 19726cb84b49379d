package dev.tongxing.hub.health;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.v1.RegionHealth;
import dev.tongxing.api.v1.SourceHealth;
import dev.tongxing.hub.cache.SourceAnswerCache;
import dev.tongxing.hub.cache.SourceCaches;
import dev.tongxing.hub.resilience.SourceGuard;
import dev.tongxing.hub.resilience.SourceGuards;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Per-source health as the ministry and operators see it: breaker state, error rate, latency,
 * local refusals, cache effectiveness. The same figures are Micrometer meters, so the Prometheus
 * endpoint and {@code AuditService.GetRegionHealth} never disagree.
 */
@Component
public class RegionHealthReport {

    private final SourceGuards guards;
    private final SourceCaches caches;
    private final Clock clock;

    public RegionHealthReport(SourceGuards guards, SourceCaches caches, Clock clock, MeterRegistry meters) {
        this.guards = guards;
        this.caches = caches;
        this.clock = clock;
        for (SourceAnswerCache cache : caches.all()) {
            String source = cache.source().id();
            FunctionCounter.builder("tongxing.cache.hits", cache, SourceAnswerCache::hits).tag("source", source)
                    .description("Lookups answered from the cache").register(meters);
            FunctionCounter.builder("tongxing.cache.misses", cache, SourceAnswerCache::misses).tag("source", source)
                    .description("Lookups that asked the source").register(meters);
            FunctionCounter.builder("tongxing.cache.stale_served", cache, SourceAnswerCache::staleServed).tag("source", source)
                    .description("Answers served STALE because the source failed").register(meters);
            Gauge.builder("tongxing.cache.size", cache, SourceAnswerCache::estimatedSize).tag("source", source)
                    .description("Travelers held in the cache").register(meters);
            Gauge.builder("tongxing.cache.weight_bytes", cache, SourceAnswerCache::weightedSize).tag("source", source)
                    .description("Approximate bytes held in the cache").register(meters);
        }
    }

    public RegionHealth report() {
        RegionHealth.Builder health = RegionHealth.newBuilder().setAsOf(Timestamps.fromMillis(clock.millis()));
        for (SourceGuard guard : guards.all()) {
            SourceAnswerCache cache = caches.of(guard.sourceId());
            long lookups = cache.hits() + cache.misses();
            float failureRate = guard.breaker().getMetrics().getFailureRate();
            health.addSources(SourceHealth.newBuilder()
                    .setSourceId(guard.sourceId())
                    .setProvince(cache.source().province())
                    .setBreakerState(state(guard.breaker().getState()))
                    .setErrorRate(failureRate < 0 ? 0 : failureRate / 100.0)
                    .setLatencyP50(Durations.fromNanos((long) percentile(guard, 0.5)))
                    .setLatencyP99(Durations.fromNanos((long) percentile(guard, 0.99)))
                    .setRateLimited(guard.rateLimitedCount())
                    .setCacheHitRate(lookups == 0 ? 0 : (double) cache.hits() / lookups)
                    .setStaleServed(cache.staleServed()));
        }
        return health.build();
    }

    private static double percentile(SourceGuard guard, double which) {
        for (ValueAtPercentile value : guard.latency().takeSnapshot().percentileValues()) {
            if (value.percentile() == which) {
                return value.value(TimeUnit.NANOSECONDS);
            }
        }
        return 0;
    }

    private static SourceHealth.BreakerState state(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> SourceHealth.BreakerState.CLOSED;
            case OPEN, FORCED_OPEN -> SourceHealth.BreakerState.OPEN;
            case HALF_OPEN -> SourceHealth.BreakerState.HALF_OPEN;
        };
    }
}
