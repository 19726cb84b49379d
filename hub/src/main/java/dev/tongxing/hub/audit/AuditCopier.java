package dev.tongxing.hub.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves journaled records into the SQL store, behind the answers, in transactions of up to
 * {@code copyBatch} records, and deletes the journal segments the store then holds. A store that
 * fails is retried with backoff: the records stay journaled, and QueryAudit shows them once the
 * store is back. Only this thread writes the replica's rows, so it knows the stored head without
 * asking the store.
 */
final class AuditCopier {

    private static final Logger log = LoggerFactory.getLogger(AuditCopier.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final AuditStore store;
    private final AuditJournal journal;
    private final int copyBatch;
    private final long intervalNanos;
    private final BlockingQueue<AuditRow> backlog;
    private final AtomicLong copies = new AtomicLong();
    private final Object progress = new Object();
    private volatile ChainHead stored;
    private volatile boolean stopping;
    /** Someone waits for the store: copy now rather than at the next interval. Guarded by progress. */
    private boolean nudged;
    private Thread thread;

    AuditCopier(AuditStore store, AuditJournal journal, ChainHead stored, int copyBatch, int maxBacklog, Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.store = store;
        this.journal = journal;
        this.stored = stored;
        this.copyBatch = copyBatch;
        this.backlog = new ArrayBlockingQueue<>(maxBacklog);
    }

    void start() {
        thread = new Thread(this::run, "audit-copier");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Hands journaled rows over, waiting while the backlog is full for as long as {@code keepWaiting}
     * holds. Rows not handed over stay in the journal and are copied at the next start.
     */
    boolean enqueue(List<AuditRow> rows, BooleanSupplier keepWaiting) throws InterruptedException {
        for (AuditRow row : rows) {
            while (!backlog.offer(row, 100, TimeUnit.MILLISECONDS)) {
                if (!keepWaiting.getAsBoolean()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The newest record the store holds. */
    ChainHead stored() {
        return stored;
    }

    /** Transactions the copier committed. */
    long copies() {
        return copies.get();
    }

    /** Waits until the store holds the record with this sequence; false on timeout. */
    boolean awaitStored(long sequence, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            nudged = true;
            progress.notifyAll();
            while (stored.sequence() < sequence) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
        }
        return true;
    }

    /** Copies what was handed over, for at most the grace period, then stops. */
    void stop(Duration grace) {
        stopping = true;
        synchronized (progress) {
            progress.notifyAll();
        }
        if (thread == null) {
            return;
        }
        try {
            thread.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    private void run() {
        List<AuditRow> batch = new ArrayList<>(copyBatch);
        long lastCopy = System.nanoTime() - intervalNanos;
        while (true) {
            AuditRow first;
            try {
                first = backlog.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (stopping) {
                    return; // stopped and drained
                }
                continue;
            }
            try {
                linger(lastCopy + intervalNanos);
            } catch (InterruptedException e) {
                return;
            }
            lastCopy = System.nanoTime();
            batch.add(first);
            backlog.drainTo(batch, copyBatch - 1);
            if (!copy(batch)) {
                return; // stopped while the store failed: the journal keeps the rest
            }
            batch.clear();
        }
    }

    /**
     * Lets records gather until the interval since the last copy is over, a full batch waits, a
     * reader waits for the store, or the copier stops. The store's cost is mostly per transaction
     * (an embedded store rewrites its index pages on each), so fewer, larger copies cost far less.
     */
    private void linger(long until) throws InterruptedException {
        synchronized (progress) {
            while (!nudged && !stopping && backlog.size() < copyBatch - 1) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            }
            nudged = false;
        }
    }

    private boolean copy(List<AuditRow> batch) {
        long backoff = 50;
        while (true) {
            try {
                store.append(batch);
                advance(batch.get(batch.size() - 1));
                return true;
            } catch (RuntimeException e) {
                log.error("audit store failed to take {} journaled record(s), retrying in {} ms: {}", batch.size(), backoff,
                        e.getClass().getName());
            }
            if (stopping) {
                return false;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return false;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            // A commit whose outcome was unknown may have landed: never insert a record twice.
            try {
                long last = store.lastSequence(batch.get(0).replicaId());
                AuditRow newest = batch.get(batch.size() - 1);
                batch.removeIf(row -> row.sequence() <= last);
                if (batch.isEmpty()) {
                    advance(newest);
                    return true;
                }
            } catch (RuntimeException stillDown) {
                // retried with the whole batch
            }
        }
    }

    private void advance(AuditRow newest) {
        // Segments first: whoever waits for the store to hold a record then finds them released too.
        journal.release(newest.sequence());
        synchronized (progress) {
            stored = new ChainHead(newest.replicaId(), newest.sequence(), newest.hash());
            progress.notifyAll();
        }
        copies.incrementAndGet();
    }
}
