package dev.tongxing.hub.config;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How long a source's answers are trusted and kept.
 *
 * @param freshFor     an answer younger than this is served as CACHED without asking the source
 * @param refreshAhead a read of an answer older than this refreshes it in the background, so hot
 *                     travelers never wait on the source; must be shorter than {@code freshFor}
 * @param maxStale     past {@code freshFor} the source is asked; if it fails, the answer is served
 *                     STALE until it is this old, then it is dropped
 * @param negativeTtl  how long "no record for this traveler" is remembered
 * @param maxWeight    memory budget of this source's cache (approximate bytes)
 */
public record CacheProperties(
        @DefaultValue("60s") Duration freshFor,
        @DefaultValue("45s") Duration refreshAhead,
        @DefaultValue("30m") Duration maxStale,
        @DefaultValue("30s") Duration negativeTtl,
        @DefaultValue("64MB") DataSize maxWeight) {

    public CacheProperties {
        if (freshFor.isNegative() || freshFor.isZero()) {
            throw new IllegalArgumentException("cache.fresh-for must be positive");
        }
        if (refreshAhead.compareTo(freshFor) >= 0 || refreshAhead.isNegative() || refreshAhead.isZero()) {
            throw new IllegalArgumentException("cache.refresh-ahead (" + refreshAhead + ") must be positive and shorter than cache.fresh-for (" + freshFor + ")");
        }
        if (maxStale.compareTo(freshFor) < 0) {
            throw new IllegalArgumentException("cache.max-stale (" + maxStale + ") must not be shorter than cache.fresh-for (" + freshFor + ")");
        }
        if (negativeTtl.isNegative()) {
            throw new IllegalArgumentException("cache.negative-ttl must not be negative");
        }
        if (maxWeight.toBytes() < 1024) {
            throw new IllegalArgumentException("cache.max-weight must be at least 1KB");
        }
    }

    public static CacheProperties defaults() {
        return new CacheProperties(Duration.ofSeconds(60), Duration.ofSeconds(45), Duration.ofMinutes(30),
                Duration.ofSeconds(30), DataSize.ofMegabytes(64));
    }
}
