package dev.tongxing.hub.sources;

import dev.tongxing.adapters.SourceAnswer;
import java.time.Instant;

/**
 * A source's answer, when the hub received it, and the route it came by: empty for the source
 * itself, or the id of the fallback source that answered while the primary's breaker was open.
 */
public record Fetched(SourceAnswer answer, Instant fetchedAt, String route) {

    public Fetched(SourceAnswer answer, Instant fetchedAt) {
        this(answer, fetchedAt, "");
    }
}
