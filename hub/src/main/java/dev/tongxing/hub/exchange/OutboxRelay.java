package dev.tongxing.hub.exchange;

import dev.tongxing.hub.config.FleetProperties;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves committed changes from the outbox ({@code change_outbox}) to the change log, oldest first,
 * and deletes them once the log holds them. Nudged right after a commit on this replica, and
 * looking on its own every {@code tongxing.fleet.relay.poll-interval}, so a change committed by a
 * replica that died before publishing is published by any other. The relays of all replicas take
 * turns on one row lock; a batch whose append fails stays in the outbox and is tried again, so
 * every change reaches the log at least once (a crash after the append and before the delete
 * publishes a batch twice: subscribers drop repeats by change id).
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ChangeLog changeLog;
    private final FleetProperties.Relay settings;
    private final Semaphore nudges = new Semaphore(0);
    private final AtomicLong relayed = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, ChangeLog changeLog, FleetProperties.Relay settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.changeLog = changeLog;
        this.settings = settings;
    }

    /** A change was just committed here: relay it now rather than at the next poll. */
    void nudge() {
        if (nudges.availablePermits() == 0) {
            nudges.release();
        }
    }

    /** Changes this replica's relay has moved to the log. */
    public long relayed() {
        return relayed.get();
    }

    /** Moves everything in the outbox now; for tests and shutdown. Returns the changes moved. */
    public int drain() {
        int total = 0;
        while (true) {
            Integer moved = transactions.execute(status -> relayOneBatch());
            total += moved == null ? 0 : moved;
            if (moved == null || moved < settings.batchSize()) {
                return total;
            }
        }
    }

    private int relayOneBatch() {
        // Our turn: the relays of other replicas wait here, so batches reach the log in seq order.
        jdbc.queryForObject("SELECT id FROM change_relay_turn WHERE id = 1 FOR UPDATE", Integer.class);
        List<Object[]> rows = jdbc.query("SELECT seq, pseudonym, notice FROM change_outbox ORDER BY seq LIMIT ?",
                (row, n) -> new Object[] {row.getLong(1), row.getString(2).strip(), row.getBytes(3)}, settings.batchSize());
        if (rows.isEmpty()) {
            return 0;
        }
        changeLog.append(rows.stream()
                .map(row -> new ChangeLog.Entry(ChangeLog.Kind.CHANGE, (String) row[1], (byte[]) row[2]))
                .toList());
        jdbc.batchUpdate("DELETE FROM change_outbox WHERE seq = ?", rows.stream().map(row -> new Object[] {row[0]}).toList());
        relayed.addAndGet(rows.size());
        return rows.size();
    }

    private void loop() {
        while (running) {
            try {
                nudges.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                nudges.drainPermits();
                if (running) {
                    drain();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The store or the log is down: the outbox keeps the changes; try again at the next poll.
                log.warn("outbox relay: {}; changes stay in the outbox and are retried", e.getClass().getSimpleName());
                try {
                    Thread.sleep(settings.pollInterval().toMillis());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the change-log reader, before it stops: stops early and starts late. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }
}
