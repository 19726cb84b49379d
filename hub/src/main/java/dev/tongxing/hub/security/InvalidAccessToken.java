package dev.tongxing.hub.security;

/** A token that does not prove who is calling; the message says why, for the caller's operators. */
public final class InvalidAccessToken extends Exception {
    public InvalidAccessToken(String reason) {
        super(reason, null, false, false);
    }
}
