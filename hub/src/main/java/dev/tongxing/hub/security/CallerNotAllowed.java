package dev.tongxing.hub.security;

/**
 * An authenticated caller asking for something its identity does not cover (another province's
 * residents, another checkpoint's name). Becomes PERMISSION_DENIED at the edge.
 */
public final class CallerNotAllowed extends RuntimeException {
    public CallerNotAllowed(String reason) {
        super(reason, null, false, false);
    }
}
