package dev.tongxing.hub.lookup;

import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.hub.cache.SourceCaches;
import dev.tongxing.hub.resilience.Demand;
import dev.tongxing.hub.sources.Observation;
import dev.tongxing.hub.sources.SourceRegistry;
import dev.tongxing.hub.verdict.VerdictPolicies;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Answers "may this traveler pass?": asks the traveler's province and the travel card in
 * parallel, each through its cache, and merges what comes back within the caller's time.
 */
@Service
public class LookupService {

    private static final Logger log = LoggerFactory.getLogger(LookupService.class);

    private final SourceRegistry registry;
    private final SourceCaches caches;
    private final VerdictPolicies policies;
    private final Clock clock;
    private final List<LookupListener> listeners;

    public LookupService(SourceRegistry registry, SourceCaches caches, VerdictPolicies policies,
                         Clock clock, ObjectProvider<LookupListener> listeners) {
        this.registry = registry;
        this.caches = caches;
        this.policies = policies;
        this.clock = clock;
        this.listeners = listeners.orderedStream().toList();
    }

    /** @param budget how long the caller can still wait; sources not answered by then are UNAVAILABLE */
    public CompletableFuture<TravelerStatus> lookup(SourceQuery query, Checkpoint checkpoint, Duration budget) {
        return lookup(query, checkpoint, budget, Demand.Kind.SCAN, UnaryOperator.identity());
    }

    /**
     * As a scan, or for a manifest entry that may wait for a source's capacity within its budget
     * ({@link Demand.Kind#MANIFEST}) instead of being answered UNAVAILABLE at capacity.
     */
    public CompletableFuture<TravelerStatus> lookup(SourceQuery query, Checkpoint checkpoint, Duration budget, Demand.Kind urgency) {
        return lookup(query, checkpoint, budget, urgency, UnaryOperator.identity());
    }

    /**
     * As {@link #lookup(SourceQuery, Checkpoint, Duration)}, with the last word on the health code:
     * VerifyCode's signed code stands in for a province that could not answer.
     */
    public CompletableFuture<TravelerStatus> lookup(SourceQuery query, Checkpoint checkpoint, Duration budget,
                                                    UnaryOperator<Observation> healthCode) {
        return lookup(query, checkpoint, budget, Demand.Kind.SCAN, healthCode);
    }

    private CompletableFuture<TravelerStatus> lookup(SourceQuery query, Checkpoint checkpoint, Duration budget, Demand.Kind urgency,
                                                     UnaryOperator<Observation> healthCode) {
        notifyListeners(query, checkpoint);
        CompletableFuture<Observation> health = registry.healthCodeFor(query.province())
                .map(source -> caches.of(source.id()).observe(query, budget, urgency))
                .orElseGet(() -> CompletableFuture.completedFuture(Observation.unavailable("",
                        "no health-code source is onboarded for province " + query.province())))
                .thenApply(healthCode);
        CompletableFuture<Observation> card;
        if (query.phoneNumber().isEmpty()) {
            card = CompletableFuture.completedFuture(Observation.unavailable("", "no phone number given"));
        } else {
            card = registry.travelCard()
                    .map(source -> caches.of(source.id()).observe(query, budget, urgency))
                    .orElseGet(() -> CompletableFuture.completedFuture(Observation.unavailable("", "no travel-card source is configured")));
        }
        return health.thenCombine(card, (h, c) -> StatusAssembler.assemble(query, h, c, policies.forCheckpoint(checkpoint.id()), clock.instant()));
    }

    /**
     * Warms the cache for a traveler expected later (a manifest before departure): asks each source
     * that would answer for them, as a prefetch (only from spare capacity, waiting within
     * {@code budget}), and reports how each component now stands. Nothing is assembled or
     * judged, and no listener hears of it: no one is standing at a checkpoint yet.
     *
     * @return one provenance per source asked: LIVE (fetched now), CACHED (was fresh already), or
     *         STALE / UNAVAILABLE with the reason it could not be fetched
     */
    public CompletableFuture<List<Provenance>> prefetch(SourceQuery query, Duration budget) {
        List<CompletableFuture<Observation>> asked = new ArrayList<>();
        asked.add(registry.healthCodeFor(query.province())
                .map(source -> caches.of(source.id()).observe(query, budget, Demand.Kind.PREFETCH))
                .orElseGet(() -> CompletableFuture.completedFuture(Observation.unavailable("",
                        "no health-code source is onboarded for province " + query.province()))));
        if (!query.phoneNumber().isEmpty()) {
            registry.travelCard().ifPresent(source -> asked.add(caches.of(source.id()).observe(query, budget, Demand.Kind.PREFETCH)));
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new))
                .thenApply(done -> asked.stream().map(observation -> observation.join().provenance()).toList());
    }

    private void notifyListeners(SourceQuery query, Checkpoint checkpoint) {
        for (LookupListener listener : listeners) {
            try {
                listener.lookedUp(query, checkpoint);
            } catch (RuntimeException e) {
                // A listener never fails a lookup; log the type only, a message might carry request data.
                log.warn("lookup listener {} failed: {}", listener.getClass().getName(), e.getClass().getName());
            }
        }
    }
}
