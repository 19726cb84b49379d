package dev.tongxing.api.offline;

/** A trust list that cannot be trusted (bad signature, unknown algorithm, out of date, malformed); the message says why. */
public final class TrustListRefused extends RuntimeException {
    public TrustListRefused(String message) {
        super(message, null, false, false);
    }
}
