package dev.tongxing.hub.resilience;

import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.hub.config.ResilienceProperties;
import dev.tongxing.hub.sources.FailureReasons;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Everything between the hub and one source, composed in one order: circuit breaker, then
 * bulkhead, then rate limit, then the call with its timeout. Refusals are immediate, never
 * queued. A failed call is retried only when it failed fast at the connection (the source never
 * saw the request), only while the breaker allows, and only within the retry budget.
 */
public final class SourceGuard {

    private final String sourceId;
    private final Duration maxRetryAfter;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final RateLimiter rateLimiter;
    /** This replica's share of the capacity in a fleet ({@link FleetShare}); always true for a fleet of one. */
    private final java.util.function.BooleanSupplier fleetShare;
    private final RetryBudget retryBudget;
    private final Timer latency;
    private final Counter rateLimited;
    private final Counter retries;

    SourceGuard(String sourceId, ResilienceProperties settings, Clock clock, MeterRegistry meters,
                io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry breakers,
                io.github.resilience4j.ratelimiter.RateLimiterRegistry rateLimiters,
                io.github.resilience4j.bulkhead.BulkheadRegistry bulkheads) {
        this(sourceId, settings, clock, meters, breakers, rateLimiters, bulkheads, () -> true);
    }

    SourceGuard(String sourceId, ResilienceProperties settings, Clock clock, MeterRegistry meters,
                io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry breakers,
                io.github.resilience4j.ratelimiter.RateLimiterRegistry rateLimiters,
                io.github.resilience4j.bulkhead.BulkheadRegistry bulkheads,
                java.util.function.BooleanSupplier fleetShare) {
        this.sourceId = sourceId;
        this.fleetShare = fleetShare;
        ResilienceProperties.Breaker b = settings.breaker();
        this.maxRetryAfter = b.maxRetryAfter();
        this.breaker = breakers.circuitBreaker(sourceId, CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(b.slidingWindow())
                .minimumNumberOfCalls(b.minimumCalls())
                .waitDurationInOpenState(b.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        this.bulkhead = bulkheads.bulkhead(sourceId, BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrent())
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.rateLimiter = rateLimiters.rateLimiter(sourceId, CapacityLimits.forCapacity(settings.capacity()));
        this.retryBudget = new RetryBudget(settings.retry().budgetRatio(), settings.retry().minPerSecond(), clock);
        this.latency = Timer.builder("tongxing.source.latency")
                .description("Upstream call latency per source")
                .tag("source", sourceId)
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(meters);
        this.rateLimited = Counter.builder("tongxing.source.rate_limited")
                .description("Calls refused locally because the source's declared capacity was reached")
                .tag("source", sourceId).register(meters);
        this.retries = Counter.builder("tongxing.source.retries")
                .description("Retries sent to the source, within its budget")
                .tag("source", sourceId).register(meters);
    }

    /** Runs the call under this source's protection. */
    public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> attempt) {
        retryBudget.deposit();
        return once(attempt).exceptionallyCompose(failure -> failedAtConnection(failure) && retryBudget.tryWithdraw()
                ? retried(attempt)
                : CompletableFuture.failedFuture(failure));
    }

    private <T> CompletableFuture<T> retried(Supplier<CompletableFuture<T>> attempt) {
        retries.increment();
        return once(attempt);
    }

    private <T> CompletableFuture<T> once(Supplier<CompletableFuture<T>> attempt) {
        if (!breaker.tryAcquirePermission()) {
            return CompletableFuture.failedFuture(new SourceRefused(sourceId, "circuit open after repeated failures; not asked"));
        }
        if (!bulkhead.tryAcquirePermission()) {
            breaker.releasePermission();
            return CompletableFuture.failedFuture(new SourceRefused(sourceId, "too many calls in flight; not asked"));
        }
        if (!rateLimiter.acquirePermission() || !fleetShare.getAsBoolean()) {
            bulkhead.onComplete();
            breaker.releasePermission();
            rateLimited.increment();
            return CompletableFuture.failedFuture(new SourceRefused(sourceId, "declared capacity reached; not asked"));
        }
        long started = System.nanoTime();
        CompletableFuture<T> result;
        try {
            result = attempt.get();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((value, failure) -> {
            long elapsed = System.nanoTime() - started;
            bulkhead.onComplete();
            latency.record(elapsed, TimeUnit.NANOSECONDS);
            if (failure == null) {
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                return;
            }
            Throwable cause = FailureReasons.unwrap(failure);
            breaker.onError(elapsed, TimeUnit.NANOSECONDS, cause);
            if (cause instanceof RejectedAnswer rejected && rejected.retryAfter().isPresent()) {
                // The source said when to come back: rest it that long, whatever the failure rate says,
                // but never longer than max-retry-after: one header must not cut a province off for days.
                Duration asked = rejected.retryAfter().get();
                breaker.transitionToOpenStateFor(asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked);
            }
        });
    }

    /** Failed before the source could have acted on the request, so a retry adds no work there. */
    private static boolean failedAtConnection(Throwable failure) {
        Throwable cause = FailureReasons.unwrap(failure);
        return cause instanceof ConnectException
                || cause instanceof NoHttpResponseException
                || (cause instanceof SocketException && String.valueOf(cause.getMessage()).contains("reset"))
                || (cause instanceof IOException && cause.getCause() instanceof ConnectException);
    }

    public String sourceId() {
        return sourceId;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public Timer latency() {
        return latency;
    }

    public long rateLimitedCount() {
        return (long) rateLimited.count();
    }
}
