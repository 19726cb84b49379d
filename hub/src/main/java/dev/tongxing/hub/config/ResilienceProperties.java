package dev.tongxing.hub.config;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the hub protects one source, and itself from it (under {@code tongxing.sources.<id>.resilience}).
 *
 * @param capacity      requests per second the source declared it can take; the hub never sends more
 *                      in any one-second window
 * @param maxConcurrent calls in flight to the source at once (bulkhead); further calls are refused
 *                      locally rather than queued
 * @param sendWithin    longest a call may hold its capacity permit before its request is sent; an older
 *                      permit is renewed just before sending, or the call is not sent. The hub spreads
 *                      permits over one second plus this, so a source sees at most its capacity in any
 *                      second however long calls wait for a thread (default 25 ms, 2.5 % of capacity)
 * @param breaker       when to stop asking a failing source
 * @param retry         how much retrying the source may see
 */
public record ResilienceProperties(
        @DefaultValue("200") int capacity,
        @DefaultValue("32") int maxConcurrent,
        @DefaultValue("25ms") Duration sendWithin,
        @DefaultValue Breaker breaker,
        @DefaultValue Retry retry) {

    public ResilienceProperties {
        if (capacity < 1 || capacity > 1_000_000) {
            throw new IllegalArgumentException("resilience.capacity must be 1..1000000 requests per second, got " + capacity);
        }
        if (maxConcurrent < 1 || maxConcurrent > 10_000) {
            throw new IllegalArgumentException("resilience.max-concurrent must be 1..10000, got " + maxConcurrent);
        }
        if (sendWithin == null || sendWithin.isNegative() || sendWithin.compareTo(Duration.ofMillis(500)) > 0) {
            throw new IllegalArgumentException("resilience.send-within must be 0..500ms, got " + sendWithin);
        }
    }

    /**
     * @param failureRateThreshold percentage of failed calls in the window that opens the breaker
     * @param slidingWindow        number of recent calls the failure rate is computed over
     * @param minimumCalls         calls needed in the window before the rate counts
     * @param waitInOpen           how long an open breaker refuses calls before letting a few through
     * @param halfOpenCalls        trial calls in half-open state that decide between closing and reopening
     * @param maxRetryAfter        the longest rest a source's {@code Retry-After} (on 429 or 503) can
     *                             impose, default 5 minutes: the breaker opens for the time the source
     *                             asked, but never longer than this, so a mistaken or hostile
     *                             {@code Retry-After: 999999} cannot cut a province off for eleven days.
     *                             Five minutes covers a platform's restart and is short enough that
     *                             checkpoints soon see live answers again.
     */
    public record Breaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindow,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("5s") Duration waitInOpen,
            @DefaultValue("3") int halfOpenCalls,
            @DefaultValue("5m") Duration maxRetryAfter) {

        public Breaker {
            if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
                throw new IllegalArgumentException("resilience.breaker.failure-rate-threshold must be in (0, 100], got " + failureRateThreshold);
            }
            if (slidingWindow < 1 || minimumCalls < 1 || minimumCalls > slidingWindow) {
                throw new IllegalArgumentException("resilience.breaker.minimum-calls (" + minimumCalls
                        + ") must be between 1 and sliding-window (" + slidingWindow + ")");
            }
            if (waitInOpen.isNegative() || waitInOpen.isZero()) {
                throw new IllegalArgumentException("resilience.breaker.wait-in-open must be positive");
            }
            if (halfOpenCalls < 1) {
                throw new IllegalArgumentException("resilience.breaker.half-open-calls must be at least 1");
            }
            if (maxRetryAfter == null || maxRetryAfter.isNegative() || maxRetryAfter.isZero() || maxRetryAfter.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("resilience.breaker.max-retry-after must be positive and at most 1d, got " + maxRetryAfter);
            }
        }
    }

    /**
     * @param budgetRatio retries allowed per first attempt, over time (0.1: at most one retry per ten calls)
     * @param minPerSecond retries always allowed per second, so a quiet source still gets one
     */
    public record Retry(
            @DefaultValue("0.1") double budgetRatio,
            @DefaultValue("1") int minPerSecond) {

        public Retry {
            if (budgetRatio < 0 || budgetRatio > 1) {
                throw new IllegalArgumentException("resilience.retry.budget-ratio must be within 0..1, got " + budgetRatio);
            }
            if (minPerSecond < 0) {
                throw new IllegalArgumentException("resilience.retry.min-per-second must not be negative");
            }
        }
    }
}
