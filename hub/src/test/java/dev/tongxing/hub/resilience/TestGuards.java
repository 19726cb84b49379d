package dev.tongxing.hub.resilience;

import dev.tongxing.hub.config.ResilienceProperties;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** One source's guard on its own, without Spring, for tests of what it does at the source's edge. */
final class TestGuards {

    /** Hands permits to waiting calls: one daemon thread shared by the guards of {@link #guard(String, int, MeterRegistry)}. */
    private static final ScheduledExecutorService SHARED_PACER = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("test-guards-pacer").daemon().factory());

    private TestGuards() {}

    /** A guard with the default breaker, a maximum Retry-After of 5 minutes, and a pacer thread shared with others. */
    static SourceGuard guard(String sourceId, int capacity, MeterRegistry meters) {
        return guard(sourceId, capacity, Duration.ofMinutes(5), meters, SHARED_PACER);
    }

    /**
     * A guard with the default breaker (50 % of a window of 20, at least 10 calls, 5 s open),
     * 32 calls in flight, and 100 waiting calls handed permits by {@code scheduler}.
     */
    static SourceGuard guard(String sourceId, int capacity, Duration maxRetryAfter, MeterRegistry meters,
                             ScheduledExecutorService scheduler) {
        ResilienceProperties settings = new ResilienceProperties(capacity, 32, Duration.ofMillis(25),
                new ResilienceProperties.Breaker(50, 20, 10, Duration.ofSeconds(5), 3, maxRetryAfter),
                new ResilienceProperties.Retry(0.1, 1));
        return new SourceGuard(sourceId, settings, Clock.systemUTC(), meters,
                CircuitBreakerRegistry.ofDefaults(), RateLimiterRegistry.ofDefaults(), BulkheadRegistry.ofDefaults(),
                new SourceGuard.Waiting(0.25, 0.5, 100, scheduler));
    }
}
