package dev.tongxing.hub.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.hub.config.CacheProperties;
import dev.tongxing.hub.sources.FailureReasons;
import dev.tongxing.hub.sources.Fetched;
import dev.tongxing.hub.sources.Observation;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import dev.tongxing.hub.resilience.Demand;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One source's answers, per traveler.
 *
 * <ul>
 *   <li>Concurrent misses and renewals for one traveler share one upstream call.</li>
 *   <li>Reads past {@code refresh-ahead} refresh in the background, so hot travelers are not kept
 *       waiting on the source.</li>
 *   <li>Past {@code fresh-for} a read asks the source; if that fails the old answer is served STALE
 *       with its age until {@code max-stale}, when it is dropped.</li>
 *   <li>"No record" is remembered for {@code negative-ttl} only.</li>
 *   <li>Memory is bounded by an approximate byte weight.</li>
 *   <li>Answers are held under the part of the traveler's key the source answers for
 *       ({@link #keyOf}), so a pushed answer ({@link #put}) reaches every lookup of its document
 *       until {@code fresh-for} passes; then the source is asked again as usual.</li>
 *   <li>Manifest entries and prefetches ({@link Demand.Kind}) wait for the source's capacity
 *       instead of being refused at it. A traveler already being fetched is fetched once, whoever
 *       asked first; when a more urgent caller joins a load still waiting for capacity (a scan
 *       joins a manifest's, a manifest a prefetch's), the load moves up the source's queue.</li>
 * </ul>
 */
public final class SourceAnswerCache {

    private final SourceSettings source;
    private final CacheProperties policy;
    private final Clock clock;
    /**
     * Answers that arrived. Not Caffeine's async cache: that holds a future for every answer, 24
     * bytes a traveler for each source, and its refresh-after-write another 10; the calls under way
     * are few and are kept in {@link #underway} instead.
     */
    private final Cache<HeldKey, Fetched> cache;
    /**
     * The one upstream call under way for a traveler, which every miss and renewal joins. A pushed
     * answer or an invalidation takes it out (under this map's lock for the key), so an answer the
     * source gave before the change is returned to its callers but never stored over it.
     */
    private final ConcurrentHashMap<HeldKey, CompletableFuture<Fetched>> underway = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder staleServed = new LongAdder();
    private final Upstream upstream;
    /** Loads that are waiting (or were waiting) for capacity, so a more urgent caller can move them up. */
    private final ConcurrentHashMap<HeldKey, Demand> waitingLoads = new ConcurrentHashMap<>();
    private volatile Function<SourceQuery, Optional<SourceAnswer>> heldForMisses = query -> Optional.empty();

    /** Asks the source for one traveler, on behalf of a caller of the given urgency. */
    @FunctionalInterface
    public interface Upstream {
        CompletableFuture<Fetched> fetch(SourceSettings source, SourceQuery query, Demand demand);
    }

    /** A cache whose every load is a scan's (never waits for capacity). */
    public SourceAnswerCache(SourceSettings source, CacheProperties policy, Clock clock,
                             BiFunction<SourceSettings, SourceQuery, CompletableFuture<Fetched>> upstream) {
        this(source, policy, clock, (Upstream) (settings, query, demand) -> upstream.apply(settings, query));
    }

    public SourceAnswerCache(SourceSettings source, CacheProperties policy, Clock clock, Upstream upstream) {
        this.source = source;
        this.upstream = upstream;
        this.policy = policy;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .ticker(tickerOf(clock))
                .maximumWeight(policy.maxWeight().toBytes())
                .weigher((HeldKey key, Fetched value) -> AnswerWeights.of(key, value))
                .expireAfter(new RetentionByKind(policy))
                .build();
    }

    /**
     * Observes the source for one traveler within the caller's remaining time, as a scan. Never
     * fails: a source that cannot answer yields an UNAVAILABLE or STALE observation.
     */
    public CompletableFuture<Observation> observe(SourceQuery query, Duration budget) {
        return observe(query, budget, Demand.Kind.SCAN);
    }

    /**
     * As {@link #observe(SourceQuery, Duration)}, for a caller of the given urgency: a manifest entry
     * or prefetch that finds the source at capacity waits for it within {@code budget} (keeping
     * time for the call itself) instead of being answered at once.
     */
    public CompletableFuture<Observation> observe(SourceQuery query, Duration budget, Demand.Kind kind) {
        if (budget.isNegative() || budget.isZero()) {
            return CompletableFuture.completedFuture(Observation.unavailable(source.id(), source.id() + ": caller's deadline passed before the source was asked"));
        }
        Duration wait = kind != Demand.Kind.SCAN || budget.compareTo(source.timeout()) < 0 ? budget : source.timeout();
        HeldKey key = keyOf(query);
        Fetched held = cache.getIfPresent(key);
        if (held != null) {
            Duration age = held.ageAt(clock.instant());
            if (age.compareTo(policy.freshFor()) <= 0 || held.answer() instanceof SourceAnswer.NotFound) {
                hits.increment();
                if (age.compareTo(policy.refreshAhead()) > 0 && !underway.containsKey(key)) {
                    ask(key, Demand.Kind.SCAN, budget);
                }
                return CompletableFuture.completedFuture(Observation.cached(held, source.id(), age));
            }
            misses.increment();
            return within(ask(key, kind, budget), wait).handle((renewed, failure) -> failure == null
                    ? Observation.live(renewed, source.id())
                    : staleOrUnavailable(held, failure, timeoutOf(wait)));
        }
        Optional<SourceAnswer> known = heldForMisses.apply(key.query());
        if (known.isPresent()) {
            Fetched fetched = new Fetched(known.get(), clock.instant());
            store(key, fetched);
            hits.increment();
            return CompletableFuture.completedFuture(Observation.cached(fetched, source.id(), Duration.ZERO));
        }
        misses.increment();
        return within(ask(key, kind, budget), wait).handle((fetched, failure) -> failure == null
                ? Observation.live(fetched, source.id())
                : Observation.unavailable(source.id(), FailureReasons.describe(source.id(), failure, timeoutOf(wait))));
    }

    /**
     * Joins the upstream call under way for this traveler, or starts one for this caller (a first
     * load, or a renewal of what is held). Its answer is stored when it arrives, unless a pushed
     * answer or an invalidation came first.
     */
    private CompletableFuture<Fetched> ask(HeldKey key, Demand.Kind kind, Duration budget) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Fetched>[] started = new CompletableFuture[1];
        CompletableFuture<Fetched> call = underway.computeIfAbsent(key, k -> started[0] = kind == Demand.Kind.SCAN
                ? upstream.fetch(source, k.query(), Demand.scan())
                : startWaiting(k, kind, budget));
        if (call != started[0]) {
            raiseWaiting(key, kind);
            return call;
        }
        call.whenComplete((fetched, failure) -> underway.computeIfPresent(key, (k, current) -> {
            if (current != call) {
                return current;
            }
            if (failure == null) {
                cache.put(k, fetched);
            }
            return null;
        }));
        return call;
    }

    /** Holds {@code fetched} for this traveler in place of anything held or under way. */
    private void store(HeldKey key, Fetched fetched) {
        underway.compute(key, (k, call) -> {
            cache.put(k, fetched);
            return null;
        });
    }

    /** The time a failure reason names: the source's own timeout, unless the caller had less. */
    private Duration timeoutOf(Duration wait) {
        return wait.compareTo(source.timeout()) < 0 ? wait : source.timeout();
    }

    /** A load that may wait for capacity: it gives up waiting in time for the call itself to finish. */
    private CompletableFuture<Fetched> startWaiting(HeldKey key, Demand.Kind kind, Duration budget) {
        Duration call = source.timeout().compareTo(budget.dividedBy(2)) < 0 ? source.timeout() : budget.dividedBy(2);
        Duration queueing = budget.minus(call);
        Demand demand = kind == Demand.Kind.MANIFEST ? Demand.manifest(queueing) : Demand.prefetch(queueing);
        waitingLoads.put(key, demand);
        CompletableFuture<Fetched> load = upstream.fetch(source, key.query(), demand);
        load.whenComplete((fetched, failure) -> waitingLoads.remove(key, demand));
        return load;
    }

    /** A caller joined a load: if that load is still waiting for capacity, serve it as this caller would be. */
    private void raiseWaiting(HeldKey key, Demand.Kind kind) {
        Demand waiting = waitingLoads.get(key);
        if (waiting != null) {
            waiting.raiseTo(kind);
        }
    }

    private Observation staleOrUnavailable(Fetched held, Throwable failure, Duration wait) {
        String reason = FailureReasons.describe(source.id(), failure, wait);
        Duration age = held.ageAt(clock.instant());
        if (age.compareTo(policy.maxStale()) > 0) {
            return Observation.unavailable(source.id(), reason + "; last answer too old to serve (" + age.toSeconds() + " s)");
        }
        staleServed.increment();
        return Observation.stale(held, source.id(), age, reason);
    }

    /** Lookups answered from the cache without asking the source. */
    public long hits() {
        return hits.sum();
    }

    /** Lookups that had to ask the source (first time, or past fresh-for). */
    public long misses() {
        return misses.sum();
    }

    public long staleServed() {
        return staleServed.sum();
    }

    /** A caller waits at most its own budget; the shared load itself is not cancelled. */
    private static <T> CompletableFuture<T> within(CompletableFuture<T> shared, Duration wait) {
        return shared.copy().orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops what the hub holds for this traveler, so the next lookup asks the source. */
    public void invalidate(SourceQuery query) {
        underway.compute(keyOf(query), (key, call) -> {
            cache.invalidate(key);
            return null;
        });
    }

    /**
     * The part of a traveler's key this source answers for, which is what its answers are cached
     * under: a province's health code is about a document, whatever phone a checkpoint adds; the
     * travel card is about a phone, whatever document it is shown with. A pushed change therefore
     * reaches every lookup of the same document, and one card answer serves every document.
     */
    HeldKey keyOf(SourceQuery query) {
        return switch (source.kind()) {
            case HEALTH_CODE -> HeldKey.document(query);
            case TRAVEL_CARD -> HeldKey.phone(query);
        };
    }

    /** The answer held for this traveler, if one has arrived; never asks the source. */
    public Optional<SourceAnswer> held(SourceQuery query) {
        return Optional.ofNullable(cache.getIfPresent(keyOf(query))).map(Fetched::answer);
    }

    /**
     * Answers this cache has not held but must give instead of asking the source, asked on a miss
     * before the source is: a status change another replica applied for a traveler this replica had
     * not looked up (only the pseudonym travels, so the change waits for the first lookup).
     */
    public void answerMissesFrom(Function<SourceQuery, Optional<SourceAnswer>> held) {
        this.heldForMisses = held;
    }

    /**
     * Replaces what the hub holds for this traveler with a pushed answer. It is then served CACHED,
     * its age counted from now, until {@code fresh-for} passes and the source is asked again.
     */
    public void put(SourceQuery query, SourceAnswer answer) {
        store(keyOf(query), new Fetched(answer, clock.instant()));
    }

    public long estimatedSize() {
        return cache.estimatedSize();
    }

    public long weightedSize() {
        return cache.policy().eviction().map(eviction -> eviction.weightedSize().orElse(0L)).orElse(0L);
    }

    public void cleanUp() {
        cache.cleanUp();
    }

    public SourceSettings source() {
        return source;
    }

    static Ticker tickerOf(Clock clock) {
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    /** Answers live until they are too old to serve even stale; "no record" only briefly. */
    private record RetentionByKind(CacheProperties policy) implements Expiry<HeldKey, Fetched> {
        @Override
        public long expireAfterCreate(HeldKey key, Fetched value, long currentTime) {
            return (value.answer() instanceof SourceAnswer.NotFound ? policy.negativeTtl() : policy.maxStale()).toNanos();
        }

        @Override
        public long expireAfterUpdate(HeldKey key, Fetched value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(HeldKey key, Fetched value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
