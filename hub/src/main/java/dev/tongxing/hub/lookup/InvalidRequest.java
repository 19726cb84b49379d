package dev.tongxing.hub.lookup;

/** A request the hub will not act on; the message names the field and what was wrong with it. */
public final class InvalidRequest extends RuntimeException {

    public InvalidRequest(String field, String problem) {
        super(field + ": " + problem, null, false, false);
    }

    /**
     * A caller's value as it may be echoed in an error: control characters replaced and cut to
     * {@code max} characters, so an error never carries a caller's payload whole.
     */
    public static String printable(String text, int max) {
        String cleaned = text.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() <= max ? cleaned : cleaned.substring(0, max) + "...";
    }
}
