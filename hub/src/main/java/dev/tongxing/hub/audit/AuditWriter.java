package dev.tongxing.hub.audit;

import dev.tongxing.hub.server.TransportThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Appends to this replica's chain with group commit. Callers enqueue an entry and get a future;
 * one writer thread takes every entry pending at that moment, chains them and makes them durable
 * at once, then completes their futures. Many concurrent answers thus share one commit, and the
 * chain needs no lock: only this thread ever extends it.
 *
 * <p>Durable means committed to the store, or, with {@code tongxing.audit.journal} on, written to
 * the replica's journal, which an {@link AuditCopier} then copies into the store; journal segments
 * a killed process left are copied at start, before anything is answered.
 *
 * <p>Fail closed: a full queue, a stopped writer or a failed commit completes the futures with
 * {@link AuditUnavailable}, and the callers do not answer. After a failed store commit the head is
 * read back from the store, so a commit whose outcome was unknown cannot fork the chain; a failed
 * journal write is cut back off the file, so the head stays where it was.
 *
 * <p>Started before the gRPC server and stopped after it, so every answer given was recorded.
 */
@Component
public class AuditWriter implements SmartLifecycle {

    /** Started before (and stopped after) the gRPC server, which uses the default phase. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1000;

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);
    private static final int SALT_BYTES = 16;

    private final AuditStore store;
    private final Clock clock;
    private final String replicaId;
    private final int maxBatch;
    private final long groupWaitNanos;
    private final BlockingQueue<Pending> queue;
    private final AuditProperties.Journal journalSettings;
    private AuditJournal journal;
    private AuditCopier copier;
    /** With the journal, what the store held when the copier stopped: a head that may be signed after stop. */
    private volatile ChainHead storedWhenStopped;
    private final SecureRandom random = new SecureRandom();
    /**
     * Futures complete here, not on the writer thread: what follows a commit (sending the answer,
     * serializing it) must not hold up the next commit. Platform threads, not virtual ones: a
     * virtual thread waits for a carrier behind every virtual thread already runnable, and while a
     * cold manifest streams those are upstream calls parsing answers and checking signatures, a
     * millisecond or two each; a checkpoint's answer must not queue behind them. Idle threads end.
     */
    private final ThreadPoolExecutor completions = completionThreads();
    private volatile ChainHead committed;
    private volatile boolean accepting;
    private volatile Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong recorded = new AtomicLong();

    public AuditWriter(AuditStore store, Clock clock, AuditProperties properties) {
        this.store = store;
        this.clock = clock;
        this.replicaId = properties.replicaId();
        this.maxBatch = properties.maxBatch();
        this.groupWaitNanos = properties.groupWait().toNanos();
        this.queue = new ArrayBlockingQueue<>(properties.maxPending());
        this.journalSettings = properties.journal();
    }

    /**
     * Completes once the entry is committed, with the stored row; or with {@link AuditUnavailable}.
     * Completes on one of the writer's completion threads, so the result may be waited for anywhere.
     */
    public CompletableFuture<AuditRow> append(AuditEntry entry) {
        return append(entry, null);
    }

    /**
     * As {@link #append}, but called on a transport thread (a call served inline) it completes on
     * that same thread, together with the rest of the group from that thread, so the answers it
     * releases are written and flushed by the connection's own thread in one go. What follows must
     * therefore never be waited for on that thread: it would wait for itself.
     */
    public CompletableFuture<AuditRow> appendForCall(AuditEntry entry) {
        return append(entry, TransportThreads.current());
    }

    private CompletableFuture<AuditRow> append(AuditEntry entry, Executor completeOn) {
        CompletableFuture<AuditRow> done = new CompletableFuture<>();
        if (!accepting) {
            done.completeExceptionally(new AuditUnavailable("audit writer is not running"));
        } else if (!queue.offer(new Pending(entry, done, completeOn))) {
            done.completeExceptionally(new AuditUnavailable("audit writer queue is full"));
        }
        return done;
    }

    public String replicaId() {
        return replicaId;
    }

    /** Transactions committed since start; with {@link #recorded()} it shows how well commits are shared. */
    public long commits() {
        return commits.get();
    }

    /** Records committed since start. */
    public long recorded() {
        return recorded.get();
    }

    /** Records waiting for the writer. */
    public int pending() {
        return queue.size();
    }

    /** Records durable in the journal but not yet in the store (0 without a journal). */
    public long copyBacklog() {
        AuditCopier copying = copier;
        ChainHead head = committed;
        return copying == null || head == null ? 0 : head.sequence() - copying.stored().sequence();
    }

    /** The newest record the store holds: what may be signed, and what queries see. */
    ChainHead storedHead() {
        AuditCopier copying = copier;
        if (copying != null) {
            return copying.stored();
        }
        return journalSettings.enabled() ? storedWhenStopped : committed;
    }

    /**
     * Waits until the store holds every record durable now, so that a query or a verification
     * sees what was answered before it; false if the copier did not catch up within the timeout.
     */
    public boolean awaitStored(Duration timeout) {
        AuditCopier copying = copier;
        ChainHead head = committed;
        if (copying == null || head == null) {
            return true;
        }
        try {
            return copying.awaitStored(head.sequence(), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void start() {
        if (journalSettings.enabled()) {
            Path dir = Path.of(journalSettings.dir());
            try {
                AuditJournal.recover(dir, store, journalSettings.copyBatch());
                journal = AuditJournal.open(dir, replicaId, journalSettings.fsync(), journalSettings.segmentSize().toBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("audit journal in " + dir + " cannot be recovered or opened", e);
            }
        }
        committed = store.head(replicaId);
        if (journal != null) {
            copier = new AuditCopier(store, journal, committed, journalSettings.copyBatch(), journalSettings.maxBacklog(),
                    journalSettings.copyInterval());
            copier.start();
        }
        accepting = true;
        Thread writer = new Thread(this::run, "audit-writer");
        writer.setDaemon(true);
        thread = writer;
        writer.start();
        log.info("audit chain of replica {} continues after sequence {}", replicaId, committed.sequence());
    }

    @Override
    public void stop() {
        accepting = false;
        Thread writer = thread;
        if (writer == null) {
            return;
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
        failAll(new AuditUnavailable("audit writer stopped"));
        if (copier != null) {
            copier.stop(Duration.ofSeconds(10));
            storedWhenStopped = copier.stored();
            journal.close(storedWhenStopped.sequence());
            copier = null;
            journal = null;
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        boolean reloadHead = false;
        GroupGathering gathering = new GroupGathering(groupWaitNanos, System.nanoTime());
        while (true) {
            Pending first;
            try {
                // Polling, not interrupting, ends the thread: an interrupt during I/O would close an
                // embedded H2 database under everyone's feet.
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                if (!accepting) {
                    return; // stopped and drained
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            if (gathering.worthWaiting() && batch.size() < maxBatch) {
                // Records are coming faster than one a wait: let this group gather. A park, not a
                // timed poll, so that appending threads do not wake the writer record by record.
                LockSupport.parkNanos(gathering.waitNanos());
                queue.drainTo(batch, maxBatch - batch.size());
            }
            gathering.taken(batch.size(), System.nanoTime());
            try {
                if (reloadHead) {
                    // A failed journal write was cut back off the file: the head did not move.
                    if (journal == null) {
                        committed = store.head(replicaId);
                    }
                    reloadHead = false;
                }
                commit(batch);
            } catch (RuntimeException e) {
                reloadHead = true;
                // Log the type only: a message might carry a bound value.
                log.error("audit store failed to commit {} record(s): {}", batch.size(), e.getClass().getName());
                AuditUnavailable failure = new AuditUnavailable("audit store failed: " + e.getClass().getSimpleName());
                batch.forEach(pending -> completions.execute(() -> pending.done().completeExceptionally(failure)));
            }
            batch.clear();
        }
    }

    private void commit(List<Pending> batch) {
        ChainHead head = committed;
        long sequence = head.sequence();
        String previous = head.hash();
        long now = AuditStore.micros(clock.instant());
        List<AuditRow> rows = new ArrayList<>(batch.size());
        // The group's salts in one draw: the generator's cost is mostly per call, not per byte.
        byte[] salts = new byte[SALT_BYTES * batch.size()];
        random.nextBytes(salts);
        for (int i = 0; i < batch.size(); i++) {
            String salt = HexFormat.of().formatHex(salts, i * SALT_BYTES, (i + 1) * SALT_BYTES);
            AuditRow row = chained(batch.get(i).entry(), ++sequence, previous, now, salt);
            rows.add(row);
            previous = row.hash();
        }
        JournaledGroup journaled = null;
        if (journal == null) {
            store.append(rows);
        } else {
            try {
                journaled = JournaledGroup.of(journal.append(rows), rows);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        committed = new ChainHead(replicaId, sequence, previous);
        commits.incrementAndGet();
        recorded.addAndGet(rows.size());
        release(batch, rows);
        if (journaled != null) {
            try {
                // Waits while the store is far behind: this queue then fills and callers are refused.
                copier.enqueue(journaled, () -> accepting);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Completes the group's futures with their rows: on the completion threads, or on the transport thread each came from. */
    private void release(List<Pending> batch, List<AuditRow> rows) {
        Map<Executor, List<Runnable>> byTransportThread = null;
        for (int i = 0; i < rows.size(); i++) {
            Pending pending = batch.get(i);
            AuditRow row = rows.get(i);
            Runnable complete = () -> pending.done().complete(row);
            if (pending.completeOn() == null) {
                completions.execute(complete);
            } else {
                if (byTransportThread == null) {
                    byTransportThread = new IdentityHashMap<>();
                }
                byTransportThread.computeIfAbsent(pending.completeOn(), thread -> new ArrayList<>()).add(complete);
            }
        }
        if (byTransportThread != null) {
            // One hand-off per transport thread and group, not one per record.
            byTransportThread.forEach((thread, completing) -> {
                Runnable completeAll = () -> completing.forEach(Runnable::run);
                try {
                    thread.execute(completeAll);
                } catch (RejectedExecutionException stopped) {
                    completions.execute(completeAll); // the transport is shutting down: the answers still go out
                }
            });
        }
    }

    private AuditRow chained(AuditEntry entry, long sequence, String previousHash, long atMicros, String salt) {
        String digest = AuditHashes.personalDigest(salt, entry.pseudonym(), entry.maskedName());
        AuditRow unhashed = new AuditRow(replicaId, sequence, entry.kind(), atMicros, entry.method(),
                entry.actor().actor(), entry.actor().roles(), entry.actor().province(),
                entry.pseudonym().isEmpty() ? null : entry.pseudonym(),
                entry.maskedName().isEmpty() ? null : entry.maskedName(),
                salt, digest, entry.travelerProvince(), entry.sources(), entry.provenance(), entry.summary(),
                entry.verdict(), entry.reason(), entry.traceId(), previousHash, "");
        return withHash(unhashed, AuditHashes.hash(unhashed));
    }

    private static AuditRow withHash(AuditRow row, String hash) {
        return new AuditRow(row.replicaId(), row.sequence(), row.kind(), row.recordedAtMicros(), row.method(), row.actor(),
                row.callerRoles(), row.callerProvince(), row.pseudonym(), row.maskedName(), row.personalSalt(),
                row.personalDigest(), row.travelerProvince(), row.sources(), row.provenance(), row.summary(), row.verdict(),
                row.reason(), row.traceId(), row.previousHash(), hash);
    }

    private void failAll(AuditUnavailable failure) {
        Pending pending;
        while ((pending = queue.poll()) != null) {
            pending.done().completeExceptionally(failure);
        }
    }

    /** @param completeOn the transport thread to complete on, or null for the completion threads */
    private record Pending(AuditEntry entry, CompletableFuture<AuditRow> done, Executor completeOn) {}

    private static ThreadPoolExecutor completionThreads() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name("audit-committed-", 0).daemon().factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
