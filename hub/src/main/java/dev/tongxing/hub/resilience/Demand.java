package dev.tongxing.hub.resilience;

import java.time.Duration;

/**
 * Who is waiting for a source's answer, and until when: it decides whether a call that finds the
 * source's declared capacity used up is refused at once or waits its turn.
 *
 * <ul>
 *   <li>{@link Kind#SCAN} — a traveler at a gate: never waits; at capacity it is answered from
 *       the cache or UNAVAILABLE at once.</li>
 *   <li>{@link Kind#MANIFEST} — an entry of a manifest being checked: waits for capacity, until
 *       its deadline, behind scans.</li>
 *   <li>{@link Kind#PREFETCH} — a manifest warmed ahead of departure: waits behind both, and only
 *       for its share of the source's spare capacity.</li>
 * </ul>
 *
 * <p>One load may be shared by several callers (a traveler already being fetched is not fetched
 * twice). When a more urgent caller joins a load still waiting for capacity, {@link #raiseTo}
 * moves the load forward in its source's queue, so a scan never waits behind a prefetch.
 */
public final class Demand {

    /** In order of urgency: the lower the ordinal, the sooner it gets a permit. */
    public enum Kind { SCAN, MANIFEST, PREFETCH }

    private static final Demand SCAN = new Demand(Kind.SCAN, Long.MAX_VALUE);

    private final long deadlineNanos;
    private volatile Kind kind;
    /** Told when the demand becomes more urgent; set by the queue holding it. */
    private volatile Runnable onRaise;

    private Demand(Kind kind, long deadlineNanos) {
        this.kind = kind;
        this.deadlineNanos = deadlineNanos;
    }

    /** A scan: never waits for capacity. Shared; it is never raised. */
    public static Demand scan() {
        return SCAN;
    }

    /**
     * A scan that found the current cycle's permits taken by waiting calls: it goes ahead of them
     * for the next one, but waits no longer than {@code wait}.
     */
    static Demand scanAheadOfWaiting(Duration wait) {
        return new Demand(Kind.SCAN, deadlineAfter(wait));
    }

    /** A manifest entry that may wait for capacity for up to {@code budget}. */
    public static Demand manifest(Duration budget) {
        return new Demand(Kind.MANIFEST, deadlineAfter(budget));
    }

    /** A prefetched entry that may wait for spare capacity for up to {@code budget}. */
    public static Demand prefetch(Duration budget) {
        return new Demand(Kind.PREFETCH, deadlineAfter(budget));
    }

    private static long deadlineAfter(Duration budget) {
        return System.nanoTime() + Math.max(0, budget.toNanos());
    }

    public Kind kind() {
        return kind;
    }

    public boolean waits() {
        return kind != Kind.SCAN;
    }

    /** {@link System#nanoTime()} after which the call is no longer worth starting. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    /** A more urgent caller now waits on this load too: serve it as that caller would be served. */
    public void raiseTo(Kind urgency) {
        Runnable hook;
        synchronized (this) {
            if (this == SCAN || urgency.ordinal() >= kind.ordinal()) {
                return;
            }
            kind = urgency;
            hook = onRaise;
        }
        if (hook != null) {
            hook.run();
        }
    }

    void onRaise(Runnable hook) {
        this.onRaise = hook;
    }
}
