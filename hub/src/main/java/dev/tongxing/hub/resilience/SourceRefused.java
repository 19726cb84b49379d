package dev.tongxing.hub.resilience;

/**
 * The hub did not ask the source: its breaker is open, its declared capacity or concurrency is
 * used up. Not a failure of the source, so it does not count against the breaker.
 */
public class SourceRefused extends RuntimeException {

    public SourceRefused(String sourceId, String why) {
        super(sourceId + ": " + why, null, false, false);
    }
}
