package dev.tongxing.hub.audit;

/**
 * The audit store's index key for a traveler: the first 64 bits of the pseudonym (itself an
 * HMAC-SHA256, so its bits are uniform). Indexing this number instead of the 64-character
 * pseudonym keeps the store's traveler index narrow: comparing and writing a long is several
 * times cheaper than a CHAR(64), and the index is written once per audited answer. Two
 * pseudonyms may share a key, so a query matches the full pseudonym too. Personal data like the
 * pseudonym it comes from: retention deletes it with the pseudonym.
 */
public final class TravelerKey {

    private static final int HEX_DIGITS = 16;

    private TravelerKey() {}

    /** The key of a pseudonym, or null when there is no pseudonym or it is not hexadecimal. */
    public static Long of(String pseudonym) {
        if (pseudonym == null || pseudonym.length() < HEX_DIGITS) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(pseudonym, 0, HEX_DIGITS, 16);
        } catch (NumberFormatException notHex) {
            return null;
        }
    }
}
