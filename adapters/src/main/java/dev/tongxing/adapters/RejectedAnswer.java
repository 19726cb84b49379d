package dev.tongxing.adapters;

/**
 * A source's answer that the hub refuses to interpret: wrong structure, unknown colour, another
 * traveler, an error page. The message always names the source and the offending field and never
 * contains a traveler's document number, because it ends up in provenance and logs.
 */
public final class RejectedAnswer extends RuntimeException {

    private final String sourceId;

    public RejectedAnswer(String sourceId, String reason) {
        super(sourceId + ": " + reason, null, false, false);
        this.sourceId = sourceId;
    }

    public String sourceId() {
        return sourceId;
    }
}
