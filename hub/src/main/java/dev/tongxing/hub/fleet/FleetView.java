package dev.tongxing.hub.fleet;

/**
 * What this replica knows of the fleet at one moment, in its own {@link System#nanoTime()} clock.
 *
 * @param replicas        live replicas, this one included
 * @param spendFromNanos  this replica may call sources from then on: it has been in the fleet long
 *                        enough that every other replica counts it (and has shrunk its share)
 * @param spendUntilNanos this replica may call sources until then: its lease may have expired
 *                        after it, so the others may already have taken over its share
 */
public record FleetView(int replicas, long spendFromNanos, long spendUntilNanos) {

    /** A process that is the whole fleet. */
    public static FleetView alone() {
        return new FleetView(1, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Not (or no longer) in the fleet: spends nothing. */
    public static FleetView outside() {
        return new FleetView(1, Long.MAX_VALUE, Long.MIN_VALUE);
    }

    /** Long.MIN_VALUE and Long.MAX_VALUE stand for "always" and "never" (nanoTime differences would overflow). */
    public boolean maySpend(long nowNanos) {
        if (spendFromNanos == Long.MAX_VALUE || spendUntilNanos == Long.MIN_VALUE) {
            return false;
        }
        boolean started = spendFromNanos == Long.MIN_VALUE || nowNanos - spendFromNanos >= 0;
        boolean notEnded = spendUntilNanos == Long.MAX_VALUE || spendUntilNanos - nowNanos > 0;
        return started && notEnded;
    }
}
