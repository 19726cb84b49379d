package dev.tongxing.adapters;

/** A scanned payload that looks like a known format but cannot be accepted; the message says why. */
public final class InvalidCodePayload extends RuntimeException {
    public InvalidCodePayload(String message) {
        super(message, null, false, false);
    }
}
