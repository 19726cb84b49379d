package dev.tongxing.api.offline;

import dev.tongxing.api.v1.DocumentType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * What a signed code says about the traveler's document: a salted digest, never the number.
 *
 * <p>Why salted, and why not keyed: a QR code is shown, photographed and shared, so it must not
 * carry the resident ID number, which is personal data for life. A plain SHA-256 of the number
 * would not hide it either: resident IDs have little entropy (region, birth date, a sequence and
 * a check digit: about 10<sup>11</sup> candidates), so one precomputed table would reverse every
 * code. Each code therefore carries its own random 8-byte salt, and the digest is
 * {@code SHA-256(salt || "tongxing-doc-v1|" || document type || "|" || normalized number)}
 * truncated to 16 bytes (128 bits: a second preimage for a given code stays out of reach, and
 * the QR code stays small). Reversing a code then needs a brute force of its own, and two codes of
 * the same person cannot be linked. A keyed digest (HMAC with a secret) would stop the brute force
 * altogether, but an offline checkpoint could then not check the code against the ID card in
 * front of it without holding the secret, and a secret on every checkpoint device is no secret.
 *
 * @param salt   8 random bytes chosen by the province when it signs the code
 * @param digest the first 16 bytes of the salted SHA-256
 */
public record DocumentDigest(byte[] salt, byte[] digest) {

    static final int SALT_BYTES = 8;
    static final int DIGEST_BYTES = 16;
    /** Length of the encoded form: salt then digest, base64url without padding. */
    static final int ENCODED_LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    public DocumentDigest {
        if (salt.length != SALT_BYTES || digest.length != DIGEST_BYTES) {
            throw new IllegalArgumentException("a document digest is " + SALT_BYTES + " bytes of salt and " + DIGEST_BYTES + " of digest");
        }
        salt = salt.clone();
        digest = digest.clone();
    }

    /** The digest of a document with a fresh random salt, as a province computes it when signing. */
    public static DocumentDigest of(DocumentType type, String number) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new DocumentDigest(salt, compute(salt, type, number));
    }

    /** True when the document (as presented at the gate) is the one the code was issued for; constant time. */
    public boolean matches(DocumentType type, String number) {
        return MessageDigest.isEqual(digest, compute(salt, type, number));
    }

    /** Salt then digest, base64url without padding: the code's {@code doc} claim. */
    public String encode() {
        byte[] both = Arrays.copyOf(salt, SALT_BYTES + DIGEST_BYTES);
        System.arraycopy(digest, 0, both, SALT_BYTES, DIGEST_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(both);
    }

    /** @throws IllegalArgumentException when the text is not the encoded form */
    public static DocumentDigest decode(String text) {
        if (text.length() != ENCODED_LENGTH) {
            throw new IllegalArgumentException("is not " + ENCODED_LENGTH + " base64url characters");
        }
        byte[] both = Base64.getUrlDecoder().decode(text);
        return new DocumentDigest(Arrays.copyOf(both, SALT_BYTES), Arrays.copyOfRange(both, SALT_BYTES, both.length));
    }

    private static byte[] compute(byte[] salt, DocumentType type, String number) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            sha256.update(("tongxing-doc-v1|" + type.name() + "|" + normalize(number)).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(sha256.digest(), DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Upper case without spaces, as the contract normalizes document numbers. */
    static String normalize(String number) {
        return number.replace(" ", "").toUpperCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DocumentDigest that && Arrays.equals(salt, that.salt) && Arrays.equals(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "DocumentDigest[" + encode() + "]";
    }
}
