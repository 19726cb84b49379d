package dev.tongxing.adapters;

/**
 * A source's answer that the hub refuses to interpret: wrong structure, unknown colour, another
 * traveler, an error page. The message always names the source and the offending field and never
 * contains a traveler's document number, because it ends up in provenance and logs.
 */
public final class RejectedAnswer extends RuntimeException {

    private final String sourceId;
    private final transient java.util.Optional<java.time.Duration> retryAfter;

    public RejectedAnswer(String sourceId, String reason) {
        this(sourceId, reason, java.util.Optional.empty());
    }

    /** A refusal by an overloaded source that said when to come back (HTTP 429 or 503 with Retry-After). */
    public RejectedAnswer(String sourceId, String reason, java.util.Optional<java.time.Duration> retryAfter) {
        super(sourceId + ": " + reason, null, false, false);
        this.sourceId = sourceId;
        this.retryAfter = retryAfter;
    }

    public String sourceId() {
        return sourceId;
    }

    /** How long the source asked not to be called, if it said. */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return retryAfter;
    }
}
