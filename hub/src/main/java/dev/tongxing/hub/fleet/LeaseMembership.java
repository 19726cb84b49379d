package dev.tongxing.hub.fleet;

import dev.tongxing.hub.config.FleetProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fleet membership from leases in the shared database ({@code fleet_lease}): every replica renews
 * its lease each {@code heartbeat} and counts the leases not expired. Times written and compared
 * are the database's, so replicas' clocks do not matter.
 *
 * <p>The rules that keep the fleet within a source's declared capacity while it changes:
 * <ul>
 *   <li>A replica joining counts at once for everybody (the others shrink at their next heartbeat),
 *       but spends nothing itself for {@code ttl} plus one second: by then every other replica has
 *       either seen it and shrunk, or failed to renew and stopped (next rule), and the shrunk
 *       limits have filled a whole one-second window.</li>
 *   <li>A replica that cannot renew its lease stops spending when its lease may have expired
 *       (counted from before its last successful renewal), which is before any other replica can
 *       see it expired and grow.</li>
 *   <li>A replica leaving stops spending, then deletes its lease; the others grow at their next
 *       heartbeat. (FleetShare holds a changed limit to the old one for one more second either way.)</li>
 * </ul>
 */
public final class LeaseMembership implements FleetMembership, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseMembership.class);
    private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String replicaId;
    private final Duration heartbeat;
    private final Duration ttl;
    private final List<Consumer<FleetView>> listeners = new CopyOnWriteArrayList<>();
    private volatile FleetView view = FleetView.outside();
    private volatile boolean running;
    private Thread thread;
    /** When this replica's current membership began, local clock; 0 when not a member. */
    private long joinedNanos;

    public LeaseMembership(JdbcTemplate jdbc, TransactionTemplate transactions, String replicaId,
                           FleetProperties.Leases settings, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.replicaId = replicaId;
        this.heartbeat = settings.heartbeat();
        this.ttl = settings.ttl();
        Gauge.builder("tongxing.fleet.replicas", () -> view.replicas())
                .description("Live hub replicas as this replica counts them (leases)").register(meters);
    }

    @Override
    public FleetView view() {
        return view;
    }

    @Override
    public void onChange(Consumer<FleetView> listener) {
        listeners.add(listener);
    }

    /** Renews the lease and recounts once; the heartbeat thread's work, public for tests. */
    public FleetView beat() {
        long sent = System.nanoTime();
        Integer live = transactions.execute(status -> {
            OffsetDateTime now = jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC);
            OffsetDateTime expires = now.plus(ttl);
            List<OffsetDateTime> mine = jdbc.query("SELECT expires_at FROM fleet_lease WHERE replica_id = ? FOR UPDATE",
                    (row, n) -> row.getObject(1, OffsetDateTime.class), replicaId);
            boolean member = !mine.isEmpty() && mine.get(0).isAfter(now) && joinedNanos != 0;
            if (member) {
                jdbc.update("UPDATE fleet_lease SET renewed_at = ?, expires_at = ? WHERE replica_id = ?", now, expires, replicaId);
            } else {
                // New, or back after its lease expired: a fresh membership, which waits before spending.
                jdbc.update("DELETE FROM fleet_lease WHERE replica_id = ?", replicaId);
                jdbc.update("INSERT INTO fleet_lease (replica_id, joined_at, renewed_at, expires_at) VALUES (?, ?, ?, ?)",
                        replicaId, now, now, expires);
                joinedNanos = sent;
                log.info("replica {} joined the fleet; spends its share of source capacity in {}", replicaId, ttl.plusSeconds(1));
            }
            // Leases long gone are removed by whoever sees them; expired ones already do not count.
            jdbc.update("DELETE FROM fleet_lease WHERE expires_at < ?", now.minus(ttl.multipliedBy(10)));
            return jdbc.queryForObject("SELECT COUNT(*) FROM fleet_lease WHERE expires_at > ?", Integer.class, now);
        });
        int replicas = Math.max(1, live == null ? 1 : live);
        FleetView next = new FleetView(replicas, joinedNanos + ttl.toNanos() + WINDOW_NANOS, sent + ttl.toNanos());
        publish(next);
        return next;
    }

    private void publish(FleetView next) {
        FleetView previous = view;
        view = next;
        if (previous.replicas() != next.replicas()) {
            log.info("fleet of {} replicas (was {})", next.replicas(), previous.replicas());
        }
        listeners.forEach(listener -> listener.accept(next));
    }

    private void loop() {
        while (running) {
            try {
                beat();
            } catch (RuntimeException e) {
                // Keep the last view: it stops allowing spending by itself when the lease may have expired.
                log.warn("fleet lease not renewed: {}", e.getClass().getSimpleName());
                listeners.forEach(listener -> listener.accept(view));
            }
            try {
                Thread.sleep(heartbeat.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        try {
            beat();
        } catch (RuntimeException e) {
            log.warn("fleet lease not taken at start: {}", e.getClass().getSimpleName());
        }
        thread = Thread.ofPlatform().name("fleet-lease").daemon().start(this::loop);
    }

    /** Leaves the fleet: stops spending first, then gives the lease back so the others grow soon. */
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
        publish(FleetView.outside());
        try {
            jdbc.update("DELETE FROM fleet_lease WHERE replica_id = ?", replicaId);
        } catch (RuntimeException e) {
            log.warn("fleet lease not given back ({}); it expires in {}", e.getClass().getSimpleName(), ttl);
        }
        joinedNanos = 0;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Early: the share is known before the gRPC server takes calls, and kept until it stopped. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2000;
    }
}
