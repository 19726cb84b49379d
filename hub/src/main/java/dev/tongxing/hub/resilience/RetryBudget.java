package dev.tongxing.hub.resilience;

import java.time.Clock;

/**
 * Retries as a share of first attempts, so that retrying can never multiply a failing source's
 * load: each call deposits {@code ratio} of a token, each retry withdraws one, and a small
 * per-second allowance lets a quiet source still get a retry. The idea is Finagle's RetryBudget.
 */
final class RetryBudget {

    private final double ratio;
    private final int minPerSecond;
    private final Clock clock;
    private double tokens;
    private long allowanceSecond = -1;
    private int allowanceUsed;

    RetryBudget(double ratio, int minPerSecond, Clock clock) {
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
        this.clock = clock;
    }

    synchronized void deposit() {
        // Capped, so that a long quiet spell cannot build up a storm of retries.
        tokens = Math.min(tokens + ratio, 100);
    }

    synchronized boolean tryWithdraw() {
        long second = clock.millis() / 1000;
        if (second != allowanceSecond) {
            allowanceSecond = second;
            allowanceUsed = 0;
        }
        if (allowanceUsed < minPerSecond) {
            allowanceUsed++;
            return true;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
