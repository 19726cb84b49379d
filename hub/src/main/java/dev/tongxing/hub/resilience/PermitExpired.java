package dev.tongxing.hub.resilience;

/**
 * The call's capacity permit grew older than {@code send-within} before its request could be sent,
 * and the capacity had no fresh one ({@link SendWindow}): not sent. A scan is answered without
 * the source, as at capacity; a manifest entry or prefetch goes back to wait for a permit.
 */
final class PermitExpired extends SourceRefused {

    PermitExpired(String sourceId, long waitedMillis) {
        super(sourceId, "declared capacity reached while the call waited " + waitedMillis + " ms to be sent; not asked");
    }
}
