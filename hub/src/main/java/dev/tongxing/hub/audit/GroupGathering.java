package dev.tongxing.hub.audit;

/**
 * Whether the audit writer lets a group gather before committing it. A wait pays only while records
 * come faster than one per wait: then it gathers company that would otherwise each cost a commit (a
 * write and a flush to disk). Slower than that, it mostly delays the answers in hand: at 800 records
 * a second a 300 µs wait gathers a quarter of a record on average, and every answer in the group
 * waits the full 300 µs. A cold manifest's records arrive in small clumps (its answers complete
 * together), so "the last group had company" would have the writer wait for most of the checkpoint
 * scans beside it. The rate is therefore smoothed over recent groups.
 *
 * <p>Used by the writer thread only.
 */
final class GroupGathering {

    /** Each group moves the smoothed time per record this share of the way to what it saw. */
    private static final double SMOOTHING = 1.0 / 8;
    /** A gap longer than this many waits says as much as any longer one: records are slow. */
    private static final int LONGEST_GAP_IN_WAITS = 64;

    private final long waitNanos;
    private double nanosPerRecord;
    private long lastTaken;

    GroupGathering(long waitNanos, long now) {
        this.waitNanos = waitNanos;
        this.nanosPerRecord = (double) waitNanos * LONGEST_GAP_IN_WAITS;
        this.lastTaken = now;
    }

    /** True while records have been coming at least one per wait: a wait would gather at least one more. */
    boolean worthWaiting() {
        return waitNanos > 0 && nanosPerRecord <= waitNanos;
    }

    /** The writer took {@code records} from its queue at {@code now}: all that arrived since it last took some. */
    void taken(int records, long now) {
        long gap = Math.min(now - lastTaken, waitNanos * LONGEST_GAP_IN_WAITS);
        lastTaken = now;
        nanosPerRecord += ((double) Math.max(gap, 0) / Math.max(records, 1) - nanosPerRecord) * SMOOTHING;
    }

    /** The wait to apply, in nanoseconds. */
    long waitNanos() {
        return waitNanos;
    }
}
