package dev.tongxing.hub.config;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * A checkpoint's verdict policy, as data.
 *
 * @param requireTravelCard  without a travel card the verdict is at best CHECK_MANUALLY
 * @param acceptStale        a STALE green component may still PASS (for example at a venue where
 *                           a queue is the greater risk); off by default
 * @param requireNegativeTestWithin if set, PASS also needs a negative test sampled within this long
 * @param maxSignedCodeAge   a health code known only from a province-signed code (SIGNED_TOKEN: the
 *                           province down or over capacity, or no document presented) may PASS
 *                           while the code is at most this old (for example 24h at a venue); unset,
 *                           such a code never passes on its own (for example at an airport)
 */
public record PolicyProperties(
        @DefaultValue("true") boolean requireTravelCard,
        @DefaultValue("false") boolean acceptStale,
        Duration requireNegativeTestWithin,
        Duration maxSignedCodeAge) {

    public PolicyProperties {
        if (maxSignedCodeAge != null && (maxSignedCodeAge.isNegative() || maxSignedCodeAge.isZero())) {
            throw new IllegalArgumentException("max-signed-code-age must be positive, or unset to accept no signed code on its own");
        }
    }
}
