package dev.tongxing.hub.cache;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
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
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * One source's answers, per traveler.
 *
 * <ul>
 *   <li>Concurrent misses for one traveler share one upstream call (Caffeine's async loading).</li>
 *   <li>Reads past {@code refresh-ahead} refresh in the background, so hot travelers are not kept
 *       waiting on the source.</li>
 *   <li>Past {@code fresh-for} a read asks the source; if that fails the old answer is served STALE
 *       with its age until {@code max-stale}, when it is dropped.</li>
 *   <li>"No record" is remembered for {@code negative-ttl} only.</li>
 *   <li>Memory is bounded by an approximate byte weight.</li>
 *   <li>A pushed answer ({@link #put}) is about a document, whatever phone number a lookup adds to
 *       the key: until {@code fresh-for} passes it replaces any older answer held for any phone
 *       variant of that document, then the source is asked again as usual.</li>
 * </ul>
 */
public final class SourceAnswerCache {

    private final SourceSettings source;
    private final CacheProperties policy;
    private final Clock clock;
    private final AsyncLoadingCache<SourceQuery, Fetched> cache;
    /** Pushed answers by document-only key (no phone), kept for {@code fresh-for}. */
    private final Cache<SourceQuery, Fetched> pushed;

    public SourceAnswerCache(SourceSettings source, CacheProperties policy, Clock clock,
                             BiFunction<SourceSettings, SourceQuery, CompletableFuture<Fetched>> upstream) {
        this.source = source;
        this.policy = policy;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .ticker(tickerOf(clock))
                .maximumWeight(policy.maxWeight().toBytes())
                .weigher((SourceQuery key, Fetched value) -> AnswerWeights.of(key, value))
                .expireAfter(new RetentionByKind(policy))
                .refreshAfterWrite(policy.refreshAhead())
                .recordStats()
                .buildAsync((key, executor) -> upstream.apply(source, key));
        this.pushed = Caffeine.newBuilder()
                .ticker(tickerOf(clock))
                .maximumWeight(Math.max(1, policy.maxWeight().toBytes() / 8))
                .weigher((SourceQuery key, Fetched value) -> AnswerWeights.of(key, value))
                .expireAfterWrite(policy.freshFor())
                .build();
    }

    /**
     * Observes the source for one traveler within the caller's remaining time. Never fails: a source
     * that cannot answer yields an UNAVAILABLE or STALE observation.
     */
    public CompletableFuture<Observation> observe(SourceQuery query, Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            return CompletableFuture.completedFuture(Observation.unavailable(source.id(), source.id() + ": caller's deadline passed before the source was asked"));
        }
        Duration wait = budget.compareTo(source.timeout()) < 0 ? budget : source.timeout();
        CompletableFuture<Fetched> present = adoptPushed(query, cache.getIfPresent(query));
        if (present != null && present.isDone() && !present.isCompletedExceptionally()) {
            Fetched held = present.join();
            Duration age = Duration.between(held.fetchedAt(), clock.instant());
            if (age.compareTo(policy.freshFor()) <= 0 || held.answer() instanceof SourceAnswer.NotFound) {
                return CompletableFuture.completedFuture(Observation.cached(held.answer(), source.id(), held.fetchedAt(), age));
            }
            return within(cache.synchronous().refresh(query), wait).handle((renewed, failure) -> failure == null
                    ? Observation.live(renewed.answer(), source.id(), renewed.fetchedAt())
                    : staleOrUnavailable(held, failure, wait));
        }
        return within(cache.get(query), wait).handle((fetched, failure) -> failure == null
                ? Observation.live(fetched.answer(), source.id(), fetched.fetchedAt())
                : Observation.unavailable(source.id(), FailureReasons.describe(source.id(), failure, wait)));
    }

    private Observation staleOrUnavailable(Fetched held, Throwable failure, Duration wait) {
        String reason = FailureReasons.describe(source.id(), failure, wait);
        Instant now = clock.instant();
        Duration age = Duration.between(held.fetchedAt(), now);
        if (age.compareTo(policy.maxStale()) > 0) {
            return Observation.unavailable(source.id(), reason + "; last answer too old to serve (" + age.toSeconds() + " s)");
        }
        return Observation.stale(held.answer(), source.id(), held.fetchedAt(), age, reason);
    }

    /** A caller waits at most its own budget; the shared load itself is not cancelled. */
    private static <T> CompletableFuture<T> within(CompletableFuture<T> shared, Duration wait) {
        return shared.copy().orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Drops what the hub holds for this traveler, so the next lookup asks the source. */
    public void invalidate(SourceQuery query) {
        cache.synchronous().invalidate(query);
    }

    /** A pushed answer newer than what is held under this exact key takes its place. */
    private CompletableFuture<Fetched> adoptPushed(SourceQuery query, CompletableFuture<Fetched> present) {
        if (query.phoneNumber().isEmpty()) {
            return present;   // the pushed answer was put under this very key
        }
        Fetched push = pushed.getIfPresent(documentOnly(query));
        if (push == null) {
            return present;
        }
        if (present != null && present.isDone() && !present.isCompletedExceptionally()
                && !present.join().fetchedAt().isBefore(push.fetchedAt())) {
            return present;   // the source answered after the push: it knows
        }
        CompletableFuture<Fetched> adopted = CompletableFuture.completedFuture(keepName(push, answerIn(present)));
        cache.put(query, adopted);
        return adopted;
    }

    /** A push states a colour, not who the traveler is: the masked name the source gave is kept. */
    private static Fetched keepName(Fetched push, java.util.Optional<SourceAnswer> before) {
        if (push.answer() instanceof SourceAnswer.HealthCode code && code.maskedName().isEmpty()
                && before.orElse(null) instanceof SourceAnswer.HealthCode old && !old.maskedName().isEmpty()) {
            return new Fetched(new SourceAnswer.HealthCode(code.sourceId(), code.colour(), code.reason(), code.validUntil(),
                    code.issuingProvince(), code.updatedAt(), old.maskedName(), code.test(), code.vaccination()), push.fetchedAt());
        }
        return push;
    }

    private static SourceQuery documentOnly(SourceQuery query) {
        return query.phoneNumber().isEmpty() ? query : new SourceQuery(query.documentType(), query.documentNumber(), "", query.province());
    }

    /**
     * The answer held for this traveler (or, failing that, for the same document without a phone),
     * if one has arrived; never asks the source.
     */
    public java.util.Optional<SourceAnswer> held(SourceQuery query) {
        return answerIn(cache.getIfPresent(query)).or(() -> answerIn(cache.getIfPresent(documentOnly(query))));
    }

    private static java.util.Optional<SourceAnswer> answerIn(CompletableFuture<Fetched> present) {
        if (present == null || !present.isDone() || present.isCompletedExceptionally()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(present.join().answer());
    }

    /**
     * Replaces what the hub holds for this traveler's document, under every phone variant, with a
     * pushed answer. It is then served CACHED, its age counted from now, until {@code fresh-for}
     * passes and the source is asked again.
     */
    public void put(SourceQuery query, SourceAnswer answer) {
        Fetched now = new Fetched(answer, clock.instant());
        SourceQuery document = documentOnly(query);
        pushed.put(document, now);
        cache.put(document, CompletableFuture.completedFuture(now));
        if (!document.equals(query)) {
            cache.put(query, CompletableFuture.completedFuture(now));
        }
    }

    public long estimatedSize() {
        return cache.synchronous().estimatedSize();
    }

    public long weightedSize() {
        return cache.synchronous().policy().eviction().map(eviction -> eviction.weightedSize().orElse(0L)).orElse(0L);
    }

    public com.github.benmanes.caffeine.cache.stats.CacheStats stats() {
        return cache.synchronous().stats();
    }

    public void cleanUp() {
        cache.synchronous().cleanUp();
    }

    public SourceSettings source() {
        return source;
    }

    static Ticker tickerOf(Clock clock) {
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    /** Answers live until they are too old to serve even stale; "no record" only briefly. */
    private record RetentionByKind(CacheProperties policy) implements Expiry<SourceQuery, Fetched> {
        @Override
        public long expireAfterCreate(SourceQuery key, Fetched value, long currentTime) {
            return (value.answer() instanceof SourceAnswer.NotFound ? policy.negativeTtl() : policy.maxStale()).toNanos();
        }

        @Override
        public long expireAfterUpdate(SourceQuery key, Fetched value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(SourceQuery key, Fetched value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
