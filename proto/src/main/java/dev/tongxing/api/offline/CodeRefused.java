package dev.tongxing.api.offline;

/**
 * A signed code that cannot be accepted; the message says why, names the claim or key at fault,
 * and never carries personal data (the code holds none in clear but the masked name).
 */
public final class CodeRefused extends RuntimeException {
    public CodeRefused(String message) {
        super(message, null, false, false);
    }
}
