package dev.tongxing.hub.resilience;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/**
 * Turns a source's declared capacity (requests per second) into a Resilience4j rate limit that
 * holds in every one-second window, not just on average. A limiter that refreshes once a second
 * lets through up to twice its limit across a cycle boundary; splitting the second into N cycles
 * and allowing capacity/(N+1) per cycle keeps any window of one second at or under capacity,
 * because such a window touches at most N+1 cycles. N is chosen to let through as much of the
 * capacity as that rule allows (200/s gives 49 cycles of 4, 196/s).
 */
final class CapacityLimits {

    /** Cycles of 10 ms at the shortest: finer would cost more in bookkeeping than it gains. */
    private static final int MAX_CYCLES_PER_SECOND = 100;

    private CapacityLimits() {}

    static RateLimiterConfig forCapacity(int requestsPerSecond) {
        if (requestsPerSecond == 1) {
            // One cycle per two seconds is the only way a single permit stays alone in every second.
            return config(1, Duration.ofSeconds(2));
        }
        int cycles = 1;
        for (int candidate = 1; candidate <= Math.min(MAX_CYCLES_PER_SECOND, requestsPerSecond - 1); candidate++) {
            if ((long) candidate * (requestsPerSecond / (candidate + 1)) > (long) cycles * (requestsPerSecond / (cycles + 1))) {
                cycles = candidate;
            }
        }
        int perCycle = requestsPerSecond / (cycles + 1);
        // Rounded up: N cycles must span at least a second, or a window could touch N+2 of them.
        return config(perCycle, Duration.ofNanos((1_000_000_000L + cycles - 1) / cycles));
    }

    private static RateLimiterConfig config(int permits, Duration cycle) {
        return RateLimiterConfig.custom()
                .limitForPeriod(permits)
                .limitRefreshPeriod(cycle)
                // Never wait for a permit: a refused call is answered from cache or as UNAVAILABLE at once.
                .timeoutDuration(Duration.ZERO)
                .build();
    }
}
