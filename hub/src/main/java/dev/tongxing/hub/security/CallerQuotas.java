package dev.tongxing.hub.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * How many travelers one credential may ask about per second. A checkpoint credential that leaks,
 * or a script behind one, cannot walk the population: past its limit each further lookup is
 * refused at once (RESOURCE_EXHAUSTED) rather than queued.
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
        RateLimiter limiter = byClient.get(caller.clientId(), client -> RateLimiter.of(client, RateLimiterConfig.custom()
                .limitForPeriod(limits.limitFor(client))
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build()));
        if (!limiter.acquirePermission()) {
            throw new CallerOverLimit(caller.clientId(), limits.limitFor(caller.clientId()));
        }
    }

    /** A caller past its per-second lookup limit. */
    public static final class CallerOverLimit extends RuntimeException {
        public CallerOverLimit(String clientId, int limit) {
            super("client " + clientId + " is over its limit of " + limit + " lookups per second", null, false, false);
        }
    }
}
