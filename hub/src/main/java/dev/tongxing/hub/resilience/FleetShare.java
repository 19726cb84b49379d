package dev.tongxing.hub.resilience;

import dev.tongxing.hub.fleet.FleetMembership;
import dev.tongxing.hub.fleet.FleetView;
import dev.tongxing.hub.sources.SourceRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * This replica's share of every source's declared capacity: the capacity is the whole fleet's,
 * and each of the live replicas spends {@code capacity / replicas} (rounded down) per second. The
 * share follows {@link FleetMembership}; a process that is the whole fleet spends the whole
 * capacity through {@link SourceGuard}'s own limit and this adds nothing.
 *
 * <p>When the share changes, the old limit keeps binding for one more second alongside the new
 * one: every call in a one-second window that starts before the change was allowed by the old
 * limit, and every call in one that starts after it by the new. Together with the membership's
 * rules (a joining replica waits before spending; one that cannot renew its lease stops before
 * the others can grow) no one-second window of the whole fleet exceeds the declared capacity.
 */
@Component
public class FleetShare {

    private static final long HOLD_NANOS = Duration.ofSeconds(1).toNanos();

    private final FleetMembership membership;
    private final SourceRegistry registry;
    private final Map<String, Share> bySource = new ConcurrentHashMap<>();

    public FleetShare(FleetMembership membership, SourceRegistry registry, MeterRegistry meters) {
        this.membership = membership;
        this.registry = registry;
        for (var source : registry.all()) {
            var resilience = registry.properties(source.id()).resilience();
            Share share = new Share(resilience.capacity(), resilience.sendWithin());
            bySource.put(source.id(), share);
            Gauge.builder("tongxing.source.capacity_share", share, Share::perSecond)
                    .description("Requests per second this replica may send the source: its share of the declared capacity")
                    .tag("source", source.id()).register(meters);
        }
        membership.onChange(this::resize);
        resize(membership.view());
    }

    /** Whether this replica may send one more request to the source now (never waits). */
    public boolean tryAcquire(String sourceId) {
        Share share = bySource.get(sourceId);
        return share == null || share.tryAcquire(membership.view());
    }

    /** The share in requests per second this replica may spend on the source now. */
    public int perSecond(String sourceId) {
        Share share = bySource.get(sourceId);
        return share == null ? 0 : (int) share.perSecond();
    }

    private void resize(FleetView view) {
        long now = System.nanoTime();
        for (Share share : bySource.values()) {
            share.resize(view.maySpend(now) ? share.declared / view.replicas() : 0, view.replicas(), now);
        }
    }

    /** One source's share: the current limit and the ones still binding for a second after a change. */
    private static final class Share {
        private final int declared;
        /** The guard's send-within: a permit may leave that much later, so the share's windows are that much longer. */
        private final Duration sendWithin;
        private volatile Stage current;
        private volatile List<Stage> holding = List.of();

        Share(int declared, Duration sendWithin) {
            this.declared = declared;
            this.sendWithin = sendWithin;
            this.current = new Stage(declared, null, Long.MAX_VALUE);
        }

        double perSecond() {
            return current.permits;
        }

        synchronized void resize(int permits, int replicas, long now) {
            if (permits == current.permits) {
                return;
            }
            List<Stage> still = new ArrayList<>();
            for (Stage stage : holding) {
                if (stage.until - now > 0) {
                    still.add(stage);
                }
            }
            still.add(new Stage(current.permits, current.limiter, now + HOLD_NANOS));
            holding = List.copyOf(still);
            current = new Stage(permits, permits == 0 ? null : RateLimiter.of("fleet-share", CapacityLimits.forCapacity(permits, sendWithin)), Long.MAX_VALUE);
        }

        boolean tryAcquire(FleetView view) {
            long now = System.nanoTime();
            if (!view.maySpend(now)) {
                return false;
            }
            Stage stage = current;
            if (!stage.allows()) {
                return false;
            }
            for (Stage old : holding) {
                if (old.until - now > 0 && !old.allows()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A limit: {@code limiter} null means none at all when permits is the whole capacity of a fleet of one, or nothing when 0. */
    private record Stage(int permits, RateLimiter limiter, long until) {
        boolean allows() {
            if (permits == 0) {
                return false;
            }
            return limiter == null || limiter.acquirePermission();
        }
    }
}
