package dev.tongxing.hub.exchange;

import java.util.List;

/**
 * The ordered, replayable log every replica reads applied changes from: a Kafka topic in a fleet,
 * an in-process list in one process. Entries are keyed by traveler pseudonym, so one traveler's
 * entries stay in order (one partition). Only the {@link OutboxRelay} appends changes, after they
 * are committed to the store; sightings are appended directly ({@link SightingShare}).
 */
public interface ChangeLog {

    /** Partitions of the log; a position has one offset per partition. */
    int partitions();

    /** Whether other replicas read this log (false: one process). */
    boolean shared();

    /**
     * Appends entries and returns once the log holds them durably (all in-sync Kafka replicas).
     *
     * @throws ChangeLogUnavailable when it could not; some entries may have been appended
     */
    void append(List<Entry> entries);

    /** Appends without waiting; best effort (sightings). */
    void offer(Entry entry);

    /** Where the log ends now: a reader starting here sees only what is appended from now on. */
    ChangePosition end();

    /**
     * Reads entries from {@code from} on as they come, on the log's own thread, until closed.
     *
     * @throws PositionExpired when the log no longer holds entries from {@code from}
     */
    AutoCloseable follow(ChangePosition from, Reader reader);

    /**
     * Reads the entries between {@code from} (inclusive) and {@code until} (exclusive) on the
     * calling thread, then returns.
     *
     * @throws PositionExpired when the log no longer holds entries from {@code from}
     */
    void replay(ChangePosition from, ChangePosition until, Reader reader);

    /** One entry of the log. */
    record Entry(Kind kind, String pseudonym, byte[] value) {}

    /** An applied change ({@code ChangeNotice} bytes) or a sighting (a province code). */
    enum Kind { CHANGE, SIGHTING }

    interface Reader {
        /**
         * One entry at its partition and offset, with the reader's position just past it. Must not
         * block for long.
         */
        void read(Entry entry, int partition, long offset, ChangePosition after);
    }

    /** The log could not take or give entries. */
    final class ChangeLogUnavailable extends RuntimeException {
        public ChangeLogUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A position older than the log's retention. */
    final class PositionExpired extends RuntimeException {
        public PositionExpired(String message) {
            super(message);
        }
    }
}
