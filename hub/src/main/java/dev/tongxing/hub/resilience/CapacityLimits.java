package dev.tongxing.hub.resilience;

import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;

/**
 * Turns a source's declared capacity (requests per second) into a Resilience4j rate limit that
 * holds in every one-second window, not just on average. A limiter that refreshes once a second
 * lets through up to twice its limit across a cycle boundary; splitting the second into N cycles
 * and allowing capacity/(N+1) per cycle keeps any window of one second at or under capacity,
 * because such a window touches at most N+1 cycles.
 *
 * <p>More cycles let more of the capacity through but leave fewer permits in each: at 100 cycles
 * a 100/s source had one permit every 10 ms, and of two travelers scanned a millisecond apart at
 * an idle source the second was refused. So N is at most {@value #MAX_CYCLES_PER_SECOND}: each
 * cycle holds about a twentieth of the capacity for travelers arriving together, and about 95 %
 * of it gets through (200/s gives 19 cycles of 10, 190/s). Below 20/s, N is the one that lets
 * through the most (20/s gives 19 cycles of 1).
 *
 * <p>A permit is not yet a request on the wire: the call still waits for a thread, and under load
 * that wait varies, so permits taken in one second can reach the source in a shorter span. The
 * guard refuses to send on a permit older than {@code send-within} ({@link SendWindow}), so what
 * arrives in any second of the source's was permitted within one second plus that slack: the
 * cycles are laid over {@code 1 s + send-within} instead of one second (25 ms costs 2.5 %).
 */
final class CapacityLimits {

    /** Cycles of about 53 ms at the shortest: each holds a twentieth of the capacity. */
    private static final int MAX_CYCLES_PER_SECOND = 19;

    private CapacityLimits() {}

    static RateLimiterConfig forCapacity(int requestsPerSecond) {
        return forCapacity(requestsPerSecond, Duration.ZERO);
    }

    /** A limit under which no window of one second plus {@code slack} holds more than the capacity. */
    static RateLimiterConfig forCapacity(int requestsPerSecond, Duration slack) {
        long windowNanos = 1_000_000_000L + slack.toNanos();
        if (requestsPerSecond == 1) {
            // One permit per two windows. Two can still meet across a cycle boundary: a limiter of fixed
            // cycles cannot rule that out for a capacity of one.
            return config(1, Duration.ofNanos(2 * windowNanos));
        }
        int cycles = 1;
        for (int candidate = 1; candidate <= Math.min(MAX_CYCLES_PER_SECOND, requestsPerSecond - 1); candidate++) {
            if ((long) candidate * (requestsPerSecond / (candidate + 1)) > (long) cycles * (requestsPerSecond / (cycles + 1))) {
                cycles = candidate;
            }
        }
        int perCycle = requestsPerSecond / (cycles + 1);
        // Rounded up: N cycles must span at least the window, or a window could touch N+2 of them.
        return config(perCycle, Duration.ofNanos((windowNanos + cycles - 1) / cycles));
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
