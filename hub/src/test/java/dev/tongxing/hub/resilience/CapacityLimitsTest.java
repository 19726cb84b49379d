package dev.tongxing.hub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CapacityLimitsTest {

    private static final Duration SLACK = Duration.ofMillis(25);

    /** The most permits any one-second window can see: it touches at most ceil(1 s / cycle) + 1 cycles. */
    private static long worstSecond(RateLimiterConfig config) {
        return worstWindow(config, Duration.ofSeconds(1));
    }

    /** The most permits any window of this length can see: it touches at most ceil(window / cycle) + 1 cycles. */
    private static long worstWindow(RateLimiterConfig config, Duration window) {
        long cycleNanos = config.getLimitRefreshPeriod().toNanos();
        long cyclesTouched = (window.toNanos() + cycleNanos - 1) / cycleNanos + 1;
        if (cycleNanos >= 2_000_000_000L) {
            cyclesTouched = 1;
        }
        return cyclesTouched * config.getLimitForPeriod();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 10, 11, 12, 20, 37, 100, 200, 999, 5000})
    void noOneSecondWindowExceedsTheDeclaredCapacity(int capacity) {
        RateLimiterConfig config = CapacityLimits.forCapacity(capacity);
        assertThat(worstSecond(config)).isLessThanOrEqualTo(capacity);
        assertThat(config.getLimitForPeriod()).isPositive();
        assertThat(config.getTimeoutDuration()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 200, 5000})
    void steadyThroughputStaysCloseToCapacity(int capacity) {
        RateLimiterConfig config = CapacityLimits.forCapacity(capacity);
        double perSecond = config.getLimitForPeriod() * (1e9 / config.getLimitRefreshPeriod().toNanos());
        assertThat(perSecond).isBetween(capacity * 0.9, (double) capacity);
    }

    /** Travelers scanned together find permits in one cycle: each holds a twentieth of the capacity or more. */
    @ParameterizedTest
    @ValueSource(ints = {20, 100, 200, 500, 5000})
    void eachCycleHoldsATwentiethOfTheCapacity(int capacity) {
        RateLimiterConfig config = CapacityLimits.forCapacity(capacity);
        assertThat(config.getLimitForPeriod()).isGreaterThanOrEqualTo(capacity / 20);
    }

    /**
     * Calls may take up to send-within from permit to wire, so what reaches the source in one of its
     * seconds was permitted within one second plus that slack: no such window may exceed the capacity.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 10, 11, 12, 20, 37, 100, 200, 999, 5000})
    void noWindowOfASecondPlusTheSendSlackExceedsTheDeclaredCapacity(int capacity) {
        RateLimiterConfig config = CapacityLimits.forCapacity(capacity, SLACK);
        assertThat(worstWindow(config, Duration.ofSeconds(1).plus(SLACK))).isLessThanOrEqualTo(capacity);
        assertThat(config.getLimitForPeriod()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 200, 5000})
    void theSendSlackCostsLittleThroughput(int capacity) {
        RateLimiterConfig config = CapacityLimits.forCapacity(capacity, SLACK);
        double perSecond = config.getLimitForPeriod() * (1e9 / config.getLimitRefreshPeriod().toNanos());
        assertThat(perSecond).isBetween(capacity * 0.9, (double) capacity);
    }
}
