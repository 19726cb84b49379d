package dev.tongxing.adapters;

/**
 * One shared String for each two-digit province code. A lookup's key takes its province from the
 * first two digits of the document number, and a province's answer names its own: each a new
 * String of 48 bytes, held by every cached answer and every cache key, a million times over when a
 * million travelers are cached.
 */
final class ProvinceCodes {

    private static final String[] SHARED = new String[100];

    static {
        for (int code = 0; code < SHARED.length; code++) {
            SHARED[code] = String.format("%02d", code);
        }
    }

    private ProvinceCodes() {}

    /** The shared instance of a two-digit code; any other value as it is. */
    static String shared(String code) {
        if (code == null || code.length() != 2) {
            return code;
        }
        char tens = code.charAt(0);
        char units = code.charAt(1);
        if (tens < '0' || tens > '9' || units < '0' || units > '9') {
            return code;
        }
        return SHARED[(tens - '0') * 10 + (units - '0')];
    }
}
