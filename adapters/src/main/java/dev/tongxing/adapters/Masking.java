package dev.tongxing.adapters;

/**
 * Sources answer with masked identifiers ({@code 6101**********123X}, {@code 138****8000}); this is
 * how the hub checks that an answer is about the traveler it asked for without the source ever
 * echoing the full number.
 */
public final class Masking {

    private Masking() {}

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
