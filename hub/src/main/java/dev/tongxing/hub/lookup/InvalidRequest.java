package dev.tongxing.hub.lookup;

/** A request the hub will not act on; the message names the field and what was wrong with it. */
public final class InvalidRequest extends RuntimeException {

    public InvalidRequest(String field, String problem) {
        super(field + ": " + problem, null, false, false);
    }
}
