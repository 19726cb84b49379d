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
 * bulkhead, then rate limit, then the call with its timeout. A scan's refusal is immediate, never
 * queued; a manifest entry or prefetch may instead wait for capacity behind scans, in the
 * source's {@link SourcePacer}, until its deadline. A failed call is retried only when it failed
 * fast at the connection (the source never saw the request), only while the breaker allows, and
 * only within the retry budget. A permit is checked again right before its request is sent
 * ({@link SendWindow}): one that waited longer than {@code send-within} for a thread is renewed or
 * the call is not sent, so calls delayed unevenly cannot bunch up at the source. While the
 * breaker is half-open, a scan that carries one of its trial calls is answered at once, as while
 * it was open; the trial runs on without it.
 */
public final class SourceGuard {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SourceGuard.class);

    /** Why a scan that carried a half-open breaker's trial call was not kept waiting for it. */
    public static final String TRIAL_NOT_WAITED_FOR = "recovering after repeated failures: this lookup's call is a trial, not waited for";

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
    private final SourcePacer pacer;
    private final SendWindow sendWindow;

    SourceGuard(String sourceId, ResilienceProperties settings, Clock clock, MeterRegistry meters,
                io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry breakers,
                io.github.resilience4j.ratelimiter.RateLimiterRegistry rateLimiters,
                io.github.resilience4j.bulkhead.BulkheadRegistry bulkheads, Waiting waiting) {
        this(sourceId, settings, clock, meters, breakers, rateLimiters, bulkheads, waiting, () -> true);
    }

    /** @param fleetShare this replica's share of the fleet's capacity: one more request may go now (never waits) */
    SourceGuard(String sourceId, ResilienceProperties settings, Clock clock, MeterRegistry meters,
                io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry breakers,
                io.github.resilience4j.ratelimiter.RateLimiterRegistry rateLimiters,
                io.github.resilience4j.bulkhead.BulkheadRegistry bulkheads, Waiting waiting,
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
        // One line when a source starts or stops being asked, instead of one per failed call.
        breaker.getEventPublisher().onStateTransition(event -> log.warn("source {}: breaker {} -> {}", sourceId,
                event.getStateTransition().getFromState(), event.getStateTransition().getToState()));
        this.bulkhead = bulkheads.bulkhead(sourceId, BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrent())
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.rateLimiter = rateLimiters.rateLimiter(sourceId, CapacityLimits.forCapacity(settings.capacity(), settings.sendWithin()));
        this.sendWindow = new SendWindow(sourceId, settings.sendWithin(), rateLimiter, fleetShare, meters);
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
        int prefetchCapacity = Math.max(1, (int) Math.floor(settings.capacity() * waiting.prefetchShare()));
        this.pacer = new SourcePacer(sourceId, breaker, bulkhead, rateLimiter,
                rateLimiters.rateLimiter(sourceId + "-prefetch", CapacityLimits.forCapacity(prefetchCapacity, settings.sendWithin())),
                fleetShare, waiting.scanReserve(), waiting.maxWaiting(), waiting.scheduler());
        io.micrometer.core.instrument.Gauge.builder("tongxing.source.waiting", pacer, SourcePacer::waiting)
                .description("Manifest entries and prefetches waiting for the source's declared capacity")
                .tag("source", sourceId).register(meters);
    }

    /**
     * How calls that may wait for capacity are served.
     *
     * @param scanReserve   share of each rate-limiter cycle that waiting calls leave to scans while scans are about
     * @param prefetchShare share of the declared capacity prefetches may use at most
     * @param maxWaiting    calls that may wait for one source at once
     * @param scheduler     the one thread that hands out permits to waiting calls
     */
    record Waiting(double scanReserve, double prefetchShare, int maxWaiting,
                   java.util.concurrent.ScheduledExecutorService scheduler) {}

    /**
     * One call to the source, started once it holds its permits. The call passes its permit's
     * {@link SendPermit#beforeSend} right before the request leaves, on the thread that sends it.
     */
    @FunctionalInterface
    public interface Attempt<T> {
        CompletableFuture<T> start(SendPermit permit);
    }

    /** Runs the call under this source's protection, as a scan: refused at once at capacity. */
    public <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> attempt) {
        return call(Demand.scan(), attempt);
    }

    /** As {@link #call(Demand, Attempt)}, for a call sent on the thread that starts it. */
    public <T> CompletableFuture<T> call(Demand demand, Supplier<CompletableFuture<T>> attempt) {
        return call(demand, (Attempt<T>) permit -> attempt.get());
    }

    /** Runs the call under this source's protection; a waiting demand queues for capacity until its deadline. */
    public <T> CompletableFuture<T> call(Demand demand, Attempt<T> attempt) {
        retryBudget.deposit();
        return once(demand, attempt).exceptionallyCompose(failure -> failedAtConnection(failure) && retryBudget.tryWithdraw()
                ? retried(demand, attempt)
                : CompletableFuture.failedFuture(failure));
    }

    private <T> CompletableFuture<T> retried(Demand demand, Attempt<T> attempt) {
        retries.increment();
        return once(demand, attempt);
    }

    private <T> CompletableFuture<T> once(Demand demand, Attempt<T> attempt) {
        if (demand.waits()) {
            // Permits are handed over by the pacer; the call then runs as if it had taken them here.
            // One whose permit expired before it could be sent waits for another, within its deadline.
            return pacer.await(demand).thenCompose(granted -> run(attempt))
                    .exceptionallyCompose(failure -> FailureReasons.unwrap(failure) instanceof PermitExpired
                            ? once(demand, attempt)
                            : CompletableFuture.failedFuture(failure));
        }
        pacer.scanAsked();
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
            java.util.Optional<Duration> aheadOfWaiting = pacer.scanMayWait();
            if (aheadOfWaiting.isPresent()) {
                // Manifests took this cycle's permits: the scan goes first for the next one.
                return pacer.await(Demand.scanAheadOfWaiting(aheadOfWaiting.get())).thenCompose(granted -> run(attempt));
            }
            rateLimited.increment();
            return CompletableFuture.failedFuture(new SourceRefused(sourceId, "declared capacity reached; not asked"));
        }
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            // A trial after an outage most likely meets the outage again and runs to the timeout; a
            // scan cannot spend that at a gate. The call still goes and decides the breaker; the
            // traveler is answered at once, as while the breaker was open.
            run(attempt);
            return CompletableFuture.failedFuture(new SourceRefused(sourceId, TRIAL_NOT_WAITED_FOR));
        }
        return run(attempt);
    }

    /** The call itself, holding a permit of the breaker, the bulkhead and the rate limiter. */
    private <T> CompletableFuture<T> run(Attempt<T> attempt) {
        long started = System.nanoTime();
        CompletableFuture<T> result;
        try {
            result = attempt.start(sendWindow.granted());
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((value, failure) -> {
            long elapsed = System.nanoTime() - started;
            bulkhead.onComplete();
            Throwable cause = failure == null ? null : FailureReasons.unwrap(failure);
            if (cause instanceof PermitExpired) {
                // Not sent (its permit went stale): the source saw nothing, so the breaker learns nothing.
                breaker.releasePermission();
                rateLimited.increment();
                return;
            }
            latency.record(elapsed, TimeUnit.NANOSECONDS);
            if (failure == null) {
                breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
                return;
            }
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
