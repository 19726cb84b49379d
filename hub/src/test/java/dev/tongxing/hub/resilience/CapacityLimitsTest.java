package dev.tongxing.hub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CapacityLimitsTest {

    /** The most permits any one-second window can see: it touches at most ceil(1 s / cycle) + 1 cycles. */
    private static long worstSecond(RateLimiterConfig config) {
        long cycleNanos = config.getLimitRefreshPeriod().toNanos();
        long cyclesTouched = (1_000_000_000L + cycleNanos - 1) / cycleNanos + 1;
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
}
