package dev.tongxing.adapters;

/**
 * Sources answer with masked identifiers ({@code 6101**********123X}, {@code 138****8000}); this is
 * how the hub checks that an answer is about the traveler it asked for without the source ever
 * echoing the full number.
 */
public final class Masking {

    /**
     * Characters a masked document number must reveal before a reply is taken to be about the asked
     * traveler. Four would do for a phone's tail, but {@code 6101**************} matches every Xi'an
     * resident; the usual display mask (first and last four) reveals eight.
     */
    public static final int MIN_REVEALED_DOCUMENT = 8;

    private Masking() {}

    /**
     * Refuses a reply whose masked document number ({@code field}) does not identify the asked
     * traveler: it must reveal at least {@link #MIN_REVEALED_DOCUMENT} characters (all of a shorter
     * number) and agree with {@code actual} wherever it reveals one. The message names the field and
     * the source, never the number.
     *
     * @throws RejectedAnswer when the reply cannot be shown to be about the asked traveler
     */
    public static void requireSameDocument(String masked, String actual, String field, String sourceId) {
        int needed = Math.min(MIN_REVEALED_DOCUMENT, actual.length());
        int revealed = revealed(masked);
        if (masked != null && masked.length() == actual.length() && revealed < needed) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' reveals only " + revealed
                    + " characters of the document number; at least " + needed + " are needed to tell travelers apart");
        }
        if (!sameIdentity(masked, actual) || revealed < needed) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' names a different traveler than the one asked for");
        }
    }

    /** How many characters of a masked identifier are not masked. */
    static int revealed(String masked) {
        if (masked == null) {
            return 0;
        }
        int revealed = 0;
        for (int i = 0; i < masked.length(); i++) {
            if (masked.charAt(i) != '*') {
                revealed++;
            }
        }
        return revealed;
    }

    /** True when the masked text has the actual's length and agrees with it wherever it is not masked. */
    public static boolean sameIdentity(String masked, String actual) {
        if (masked == null || masked.length() != actual.length()) {
            return false;
        }
        int revealed = 0;
        for (int i = 0; i < masked.length(); i++) {
            char m = masked.charAt(i);
            if (m == '*') {
                continue;
            }
            if (Character.toUpperCase(m) != Character.toUpperCase(actual.charAt(i))) {
                return false;
            }
            revealed++;
        }
        // A fully masked identifier proves nothing.
        return revealed >= Math.min(4, actual.length());
    }

    /** Masks all but the first and last four characters, for display. */
    public static String mask(String value) {
        if (value.length() <= 8) {
            return "*".repeat(value.length());
        }
        return value.substring(0, 4) + "*".repeat(value.length() - 8) + value.substring(value.length() - 4);
    }

    /** Masks the middle four digits of an 11-digit phone number, as the carriers show it. */
    public static String maskPhone(String phone) {
        if (phone.length() != 11) {
            return mask(phone);
        }
        return phone.substring(0, 3) + "****" + phone.substring(7);
    }
}
