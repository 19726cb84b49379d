package dev.tongxing.hub.lookup;

import dev.tongxing.adapters.SourceQuery;

/**
 * Told of every lookup as it starts, before any source is asked. Runs on the hot path of every
 * scan: an implementation must be quick, must not block on I/O and must not throw.
 */
@FunctionalInterface
public interface LookupListener {

    /**
     * @param traveler     the validated traveler being looked up; never log its document number
     * @param checkpoint the authenticated checkpoint asking
     */
    void lookedUp(SourceQuery traveler, Checkpoint checkpoint);
}
