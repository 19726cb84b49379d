package dev.tongxing.hub.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The queue in front of one source's declared capacity, for calls that may wait for it (manifest
 * entries, prefetches). Scans never enter it: they take a permit at once or are refused. Every
 * permit, waited for or not, comes from the one rate limiter built by {@link CapacityLimits}, so
 * no one-second window ever carries more than the declared capacity, whoever is asking.
 *
 * <p><b>Scans first.</b> Waiting calls are handed permits in order of urgency (a load a scan has
 * joined, then manifest entries, then prefetches; first come, first served within each), and
 * only while the current cycle of the rate limiter keeps a reserve for scans: while scans have
 * asked the source within the last second, waiting calls leave {@code scan-reserve} of each
 * cycle's permits (rounded up) untouched. With no scans about, the reserve is zero and a
 * manifest gets the whole capacity; a source whose cycle holds a single permit (capacity under
 * about a hundred per second) serves manifests only between scans. The reserve starts with the
 * first scan, which may find its cycle's permits already handed to waiting calls: a scan that
 * finds no permit while waiting calls took some within the last cycle goes to the head of the
 * queue for the next cycle instead of being refused (it waits at most two cycles, and never
 * more than 250 ms). Scans beyond the reserve with no waiting call to blame are refused at
 * capacity exactly as they would be without manifests.
 *
 * <p><b>Prefetch</b> takes only what is left: it never goes ahead of a waiting manifest entry,
 * keeps the scans' reserve, and is held to {@code prefetch-share} of the declared capacity by a
 * second limiter of its own.
 *
 * <p><b>An open breaker is waited out</b> like a full cycle, within each call's deadline: a
 * manifest has time for a province to come back after a short outage, and the breaker's
 * half-open trial calls (taken by whoever comes first) decide when it has.
 *
 * <p><b>No thread per waiting call.</b> A waiting call is a future in a queue; one scheduler
 * thread, shared by all sources, hands out permits as the limiter's cycles turn and only while
 * something waits. The queue is bounded ({@code max-waiting-per-source}); a call past its
 * deadline is dropped without being sent, and its caller gets the reason.
 */
final class SourcePacer {

    /** How long after the last scan the reserve is kept. */
    private static final long SCANS_RECENT_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How often queued calls past their deadline are swept out from behind the head of the queue. */
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String sourceId;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final RateLimiter capacity;
    private final RateLimiter prefetchShare;
    /** This replica's share of the fleet's capacity (FleetShare): waiting calls spend it as scans do. */
    private final java.util.function.BooleanSupplier fleetShare;
    private final double scanReserve;
    private final int maxWaiting;
    private final ScheduledExecutorService scheduler;
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Ticket>[] queues = new ArrayDeque[Demand.Kind.values().length];
    private int waiting;
    private boolean drainScheduled;
    private long lastSweep = System.nanoTime();
    private volatile long lastScanNanos = System.nanoTime() - 2 * SCANS_RECENT_NANOS;
    private volatile long lastWaitingGrantNanos = System.nanoTime() - 2 * SCANS_RECENT_NANOS;

    SourcePacer(String sourceId, CircuitBreaker breaker, Bulkhead bulkhead, RateLimiter capacity, RateLimiter prefetchShare,
                java.util.function.BooleanSupplier fleetShare, double scanReserve, int maxWaiting, ScheduledExecutorService scheduler) {
        this.sourceId = sourceId;
        this.fleetShare = fleetShare;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
        this.capacity = capacity;
        this.prefetchShare = prefetchShare;
        this.scanReserve = scanReserve;
        this.maxWaiting = maxWaiting;
        this.scheduler = scheduler;
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new ArrayDeque<>();
        }
    }

    /** A scan asked the source (whether or not it got a permit): keep the reserve for a second. */
    void scanAsked() {
        lastScanNanos = System.nanoTime();
    }

    /**
     * Completes once this call holds a permit of the breaker, the bulkhead and the rate limiter,
     * which the caller then owns exactly as if it had acquired them itself; fails with
     * {@link SourceRefused} when the breaker is open, the queue is full or the deadline passes.
     */
    CompletableFuture<Void> await(Demand demand) {
        Ticket ticket = new Ticket(demand);
        synchronized (this) {
            if (nothingAheadOf(demand.kind()) && tryGrant(demand.kind()) == Outcome.GRANTED) {
                return CompletableFuture.completedFuture(null);
            }
            if (waiting >= maxWaiting) {
                return CompletableFuture.failedFuture(new SourceRefused(sourceId,
                        "too many calls waiting for its declared capacity (" + maxWaiting + "); not asked"));
            }
            ticket.rank = demand.kind().ordinal();
            queues[ticket.rank].addLast(ticket);
            waiting++;
            demand.onRaise(() -> raised(ticket));
            scheduleDrain(0);
        }
        return ticket.granted;
    }

    /**
     * For a scan refused at capacity: if waiting calls took permits within the last cycle (so they,
     * not other scans, used the capacity), how long the scan may wait at the head of the queue for
     * the next cycle; empty when it should be refused as usual.
     */
    java.util.Optional<Duration> scanMayWait() {
        long cycle = capacity.getRateLimiterConfig().getLimitRefreshPeriod().toNanos();
        if (System.nanoTime() - lastWaitingGrantNanos > cycle) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Duration.ofNanos(Math.min(2 * cycle, TimeUnit.MILLISECONDS.toNanos(250))));
    }

    /** Calls waiting now, for metrics. */
    synchronized int waiting() {
        return waiting;
    }

    private boolean nothingAheadOf(Demand.Kind kind) {
        for (int rank = 0; rank <= kind.ordinal(); rank++) {
            if (!queues[rank].isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** A more urgent caller joined this waiting call: move it to its new place in the queue. */
    private void raised(Ticket ticket) {
        synchronized (this) {
            int rank = ticket.demand.kind().ordinal();
            if (rank < ticket.rank && queues[ticket.rank].remove(ticket)) {
                ticket.rank = rank;
                queues[rank].addLast(ticket);
                scheduleDrain(0);
            }
        }
    }

    private void scheduleDrain(long delayNanos) {
        if (!drainScheduled) {
            drainScheduled = true;
            scheduler.schedule(this::drain, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void drain() {
        List<Ticket> granted = new ArrayList<>();
        List<Ticket> refused = new ArrayList<>();
        boolean breakerOpen;
        synchronized (this) {
            drainScheduled = false;
            long now = System.nanoTime();
            if (now - lastSweep > SWEEP_NANOS) {
                lastSweep = now;
                for (ArrayDeque<Ticket> queue : queues) {
                    queue.removeIf(ticket -> ticket.expired(now) && refused.add(ticket));
                }
            }
            Outcome blocked = null;
            for (ArrayDeque<Ticket> queue : queues) {
                while (blocked == null && !queue.isEmpty()) {
                    Ticket head = queue.peekFirst();
                    if (head.expired(now)) {
                        refused.add(queue.pollFirst());
                        continue;
                    }
                    Outcome outcome = tryGrant(head.demand.kind());
                    if (outcome == Outcome.GRANTED) {
                        granted.add(queue.pollFirst());
                    } else {
                        // An open breaker is waited out like a full cycle: a manifest has time for a
                        // province to come back, and the breaker's trial calls decide when it has.
                        blocked = outcome;
                    }
                }
            }
            waiting -= granted.size() + refused.size();
            if (waiting > 0) {
                scheduleDrain(pause(blocked));
            }
            breakerOpen = blocked == Outcome.BREAKER_OPEN;
        }
        for (Ticket ticket : granted) {
            ticket.granted.complete(null);
        }
        for (Ticket ticket : refused) {
            ticket.granted.completeExceptionally(breakerOpen
                    ? new SourceRefused(sourceId, "circuit open after repeated failures, and still open at the caller's deadline; not asked")
                    : new SourceRefused(sourceId, "its declared capacity had no room before the caller's deadline; not asked"));
        }
    }

    /**
     * Takes a permit of the breaker, bulkhead and rate limiter for a call of this kind, all or none.
     * Waiting calls leave the scans' reserve; prefetches also need their share's limiter.
     */
    private Outcome tryGrant(Demand.Kind kind) {
        if (!breaker.tryAcquirePermission()) {
            return Outcome.BREAKER_OPEN;
        }
        if (kind != Demand.Kind.SCAN && capacity.getMetrics().getAvailablePermissions() <= reserve()) {
            breaker.releasePermission();
            return Outcome.NO_PERMIT;
        }
        if (kind == Demand.Kind.PREFETCH && prefetchShare.getMetrics().getAvailablePermissions() < 1) {
            breaker.releasePermission();
            return Outcome.NO_PERMIT;
        }
        if (!bulkhead.tryAcquirePermission()) {
            breaker.releasePermission();
            return Outcome.BUSY;
        }
        if (!capacity.acquirePermission() || !fleetShare.getAsBoolean()) {
            bulkhead.onComplete();
            breaker.releasePermission();
            return Outcome.NO_PERMIT;
        }
        if (kind == Demand.Kind.PREFETCH) {
            prefetchShare.acquirePermission();
        }
        if (kind != Demand.Kind.SCAN) {
            lastWaitingGrantNanos = System.nanoTime();
        }
        return Outcome.GRANTED;
    }

    /** Permits of the current cycle that waiting calls leave to scans. */
    private int reserve() {
        if (System.nanoTime() - lastScanNanos > SCANS_RECENT_NANOS || scanReserve <= 0) {
            return 0;
        }
        int perCycle = capacity.getRateLimiterConfig().getLimitForPeriod();
        return (int) Math.min(perCycle, Math.ceil(perCycle * scanReserve));
    }

    /** Until the next permit can be had: the limiter's next cycle, or a moment for a busy bulkhead. */
    private long pause(Outcome blocked) {
        RateLimiterConfig config = capacity.getRateLimiterConfig();
        long cycle = config.getLimitRefreshPeriod().toNanos();
        if (blocked == Outcome.BREAKER_OPEN) {
            return TimeUnit.MILLISECONDS.toNanos(50);
        }
        long quarter = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(cycle / 4, TimeUnit.MILLISECONDS.toNanos(25)));
        if (blocked == Outcome.NO_PERMIT && capacity instanceof AtomicRateLimiter atomic) {
            long toWait = atomic.getDetailedMetrics().getNanosToWait();
            if (toWait > 0) {
                return Math.min(toWait, Duration.ofMillis(250).toNanos());
            }
        }
        return quarter;
    }

    private enum Outcome { GRANTED, BREAKER_OPEN, NO_PERMIT, BUSY }

    private static final class Ticket {
        final Demand demand;
        final CompletableFuture<Void> granted = new CompletableFuture<>();
        /** The queue it is in; changes only under the pacer's lock. */
        int rank;

        Ticket(Demand demand) {
            this.demand = demand;
        }

        boolean expired(long now) {
            return now - demand.deadlineNanos() > 0;
        }
    }
}
