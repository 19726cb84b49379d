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
 */
public record PolicyProperties(
        @DefaultValue("true") boolean requireTravelCard,
        @DefaultValue("false") boolean acceptStale,
        Duration requireNegativeTestWithin) {}
