package dev.tongxing.hub.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
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
 * asking the store. What waits to be copied is held as the journal framed it ({@link JournaledGroup}).
 */
final class AuditCopier {

    private static final Logger log = LoggerFactory.getLogger(AuditCopier.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final AuditStore store;
    private final AuditJournal journal;
    private final int copyBatch;
    private final long intervalNanos;
    private final BlockingQueue<JournaledGroup> backlog = new LinkedBlockingQueue<>();
    /** Records the backlog may still take: it is bounded in records, not groups. */
    private final Semaphore room;
    private final int maxBacklog;
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
        this.maxBacklog = maxBacklog;
        this.room = new Semaphore(maxBacklog);
    }

    void start() {
        thread = new Thread(this::run, "audit-copier");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Hands a journaled group over, waiting while the backlog is full for as long as {@code keepWaiting}
     * holds. A group not handed over stays in the journal and is copied at the next start.
     */
    boolean enqueue(JournaledGroup group, BooleanSupplier keepWaiting) throws InterruptedException {
        while (!room.tryAcquire(roomFor(group), 100, TimeUnit.MILLISECONDS)) {
            if (!keepWaiting.getAsBoolean()) {
                return false;
            }
        }
        backlog.add(group);
        return true;
    }

    /** A group larger than the whole backlog takes all of it rather than waiting forever. */
    private int roomFor(JournaledGroup group) {
        return Math.min(group.rows(), maxBacklog);
    }

    private int waitingRows() {
        return maxBacklog - room.availablePermits();
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
        List<JournaledGroup> batch = new ArrayList<>();
        long lastCopy = System.nanoTime() - intervalNanos;
        while (true) {
            JournaledGroup first;
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
            int rows = first.rows();
            for (JournaledGroup next; rows < copyBatch && (next = backlog.poll()) != null; rows += next.rows()) {
                batch.add(next);
            }
            if (!copy(batch)) {
                return; // stopped while the store failed: the journal keeps the rest
            }
            batch.forEach(group -> room.release(roomFor(group)));
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
            while (!nudged && !stopping && waitingRows() < copyBatch) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(progress, Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            }
            nudged = false;
        }
    }

    private boolean copy(List<JournaledGroup> batch) {
        long backoff = 50;
        ChainHead newest = batch.get(batch.size() - 1).newest();
        long alreadyStored = stored.sequence();
        while (true) {
            try {
                store.append(batch, alreadyStored);
                advance(newest);
                return true;
            } catch (RuntimeException e) {
                log.error("audit store failed to take {} journaled record(s), retrying in {} ms: {}",
                        newest.sequence() - alreadyStored, backoff,
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
                alreadyStored = Math.max(alreadyStored, store.lastSequence(newest.replicaId()));
                if (alreadyStored >= newest.sequence()) {
                    advance(newest);
                    return true;
                }
            } catch (RuntimeException stillDown) {
                // retried with the whole batch
            }
        }
    }

    private void advance(ChainHead newest) {
        // Segments first: whoever waits for the store to hold a record then finds them released too.
        journal.release(newest.sequence());
        synchronized (progress) {
            stored = newest;
            progress.notifyAll();
        }
        copies.incrementAndGet();
    }
}
