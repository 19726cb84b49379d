package dev.tongxing.hub.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * How many travelers one credential may ask about per second. A checkpoint credential that leaks,
 * or a script behind one, cannot walk the population: past its limit each further scan is
 * refused at once (RESOURCE_EXHAUSTED) rather than queued.
 *
 * <p>Manifest and prefetch entries count against the same limit, one lookup each: a manifest is
 * exactly the shape a walk of the population would take, so it gets no allowance of its own. But
 * a manifest has time, so an entry over the limit {@linkplain #awaitLookup waits} for the next
 * second's lookups instead of being refused: a 2,000-seat train checked by a checkpoint limited
 * to 1,000 per second takes two seconds, and none of its entries fails for it. The wait holds no
 * thread, and each stream has at most 64 entries in flight, so waiting entries are bounded.
 */
@Component
public class CallerQuotas {

    private final SecurityProperties.CallerLimits limits;
    /** One limiter per client; idle clients are forgotten, and a returning one starts afresh. */
    private final Cache<String, RateLimiter> byClient = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    public CallerQuotas(SecurityProperties properties) {
        this.limits = properties.callerLimits();
    }

    /** @throws CallerOverLimit when the caller has used its lookups for this second */
    public void spendLookup(Caller caller) {
        if (!limiterOf(caller).acquirePermission()) {
            throw new CallerOverLimit(caller.clientId(), limits.limitFor(caller.clientId()));
        }
    }

    /**
     * Spends one lookup of the caller's limit, waiting for the next second's when this one's are
     * used up. Fails with {@link CallerOverLimit} only when no lookup can be had within {@code budget}.
     */
    public CompletableFuture<Void> awaitLookup(Caller caller, Duration budget) {
        RateLimiter limiter = limiterOf(caller);
        if (limiter.acquirePermission()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> turn = new CompletableFuture<>();
        retryLater(caller, limiter, turn, System.nanoTime() + budget.toNanos());
        return turn;
    }

    private void retryLater(Caller caller, RateLimiter limiter, CompletableFuture<Void> turn, long deadline) {
        long wait = limiter instanceof AtomicRateLimiter atomic ? atomic.getDetailedMetrics().getNanosToWait() : 0;
        wait = Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1));
        if (System.nanoTime() + wait - deadline > 0) {
            turn.completeExceptionally(new CallerOverLimit(caller.clientId(), limits.limitFor(caller.clientId())));
            return;
        }
        CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS).execute(() -> {
            if (limiter.acquirePermission()) {
                turn.complete(null);
            } else {
                retryLater(caller, limiter, turn, deadline);
            }
        });
    }

    private RateLimiter limiterOf(Caller caller) {
        return byClient.get(caller.clientId(), client -> RateLimiter.of(client, RateLimiterConfig.custom()
                .limitForPeriod(limits.limitFor(client))
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build()));
    }

    /** A caller past its per-second lookup limit. */
    public static final class CallerOverLimit extends RuntimeException {
        public CallerOverLimit(String clientId, int limit) {
            super("client " + clientId + " is over its limit of " + limit + " lookups per second", null, false, false);
        }
    }
}
