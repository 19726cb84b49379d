package dev.tongxing.hub.exchange;

import dev.tongxing.hub.lookup.InvalidRequest;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A place in the change log: for every partition, the offset of the next entry to read. Everything
 * before it in every partition has been seen, so resuming from it misses nothing. Its printed form
 * ({@link #token}) is what subscribers get as {@code ChangeNotice.position}; any replica reads it.
 */
public record ChangePosition(long[] next) {

    private static final String PREFIX = "p1.";

    public ChangePosition {
        next = next.clone();
    }

    public static ChangePosition start(int partitions) {
        return new ChangePosition(new long[partitions]);
    }

    public int partitions() {
        return next.length;
    }

    public long next(int partition) {
        return next[partition];
    }

    /** This position with one partition moved past {@code offset}. */
    public ChangePosition after(int partition, long offset) {
        long[] moved = next.clone();
        moved[partition] = Math.max(moved[partition], offset + 1);
        return new ChangePosition(moved);
    }

    /** The later of the two in every partition. */
    public ChangePosition max(ChangePosition other) {
        long[] later = next.clone();
        for (int p = 0; p < later.length; p++) {
            later[p] = Math.max(later[p], other.next[p]);
        }
        return new ChangePosition(later);
    }

    /** Whether every partition has reached {@code other}. */
    public boolean reached(ChangePosition other) {
        for (int p = 0; p < next.length; p++) {
            if (next[p] < other.next[p]) {
                return false;
            }
        }
        return true;
    }

    public String token() {
        return PREFIX + Arrays.stream(next).mapToObj(Long::toString).collect(Collectors.joining("."));
    }

    /**
     * Reads a token this hub issued for a log of {@code partitions} partitions.
     *
     * @throws InvalidRequest naming {@code field} when it is not one
     */
    public static ChangePosition parse(String token, int partitions, String field) {
        if (token.length() > 32 * 21 || !token.startsWith(PREFIX)) {
            throw new InvalidRequest(field, "is not a position this hub issued");
        }
        String[] parts = token.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != partitions) {
            throw new InvalidRequest(field, "is a position of a change log with " + parts.length
                    + " partitions; this hub's has " + partitions);
        }
        long[] next = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            try {
                next[p] = Long.parseLong(parts[p]);
            } catch (NumberFormatException e) {
                throw new InvalidRequest(field, "is not a position this hub issued");
            }
            if (next[p] < 0) {
                throw new InvalidRequest(field, "is not a position this hub issued");
            }
        }
        return new ChangePosition(next);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChangePosition position && Arrays.equals(next, position.next);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(next);
    }

    @Override
    public String toString() {
        return token();
    }
}
