package dev.tongxing.hub.resilience;

/** One guarded call's capacity permit, checked once more on the thread that sends ({@link SendWindow}). */
@FunctionalInterface
public interface SendPermit {

    /**
     * Called right before the request is sent. Returns when it may go now; throws
     * {@link PermitExpired} (a {@link SourceRefused}) when the permit grew too old waiting for a thread and the source's
     * capacity has none left for this moment.
     */
    void beforeSend();
}
