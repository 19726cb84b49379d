package dev.tongxing.hub.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.hub.config.CacheProperties;
import dev.tongxing.hub.sources.Fetched;
import dev.tongxing.hub.sources.Observation;
import dev.tongxing.hub.support.MutableClock;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class SourceAnswerCacheTest {

    private static final Duration BUDGET = Duration.ofSeconds(2);
    private final MutableClock clock = new MutableClock(Instant.parse("2022-01-04T01:00:00Z"));
    private final SourceSettings source = new SourceSettings("shaanxi-ymt", "pinyin-json", SourceKind.HEALTH_CODE, "61",
            URI.create("http://127.0.0.1:1/"), Duration.ofSeconds(1), ZoneId.of("Asia/Shanghai"), 65536, "", Map.of());
    private final CacheProperties policy = new CacheProperties(Duration.ofSeconds(60), Duration.ofSeconds(45),
            Duration.ofMinutes(30), Duration.ofSeconds(30), DataSize.ofMegabytes(16));

    /** A stand-in source: counts calls, answers green, or fails while {@code failing} is set. */
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<Throwable> failing = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Void>> gate = new AtomicReference<>(CompletableFuture.completedFuture(null));

    private CompletableFuture<Fetched> upstream(SourceSettings settings, SourceQuery query) {
        calls.incrementAndGet();
        return gate.get().thenCompose(ignored -> failing.get() != null
                ? CompletableFuture.failedFuture(failing.get())
                : CompletableFuture.completedFuture(new Fetched(green(), clock.instant())));
    }

    /** Keeps the stand-in source's replies back until the returned future completes. */
    private CompletableFuture<Void> holdTheSourcesReplies() {
        CompletableFuture<Void> held = new CompletableFuture<>();
        gate.set(held);
        return held;
    }

    private static SourceAnswer green() {
        return new SourceAnswer.HealthCode("shaanxi-ymt", HealthCodeColour.GREEN, "", Optional.empty(), "61",
                Instant.parse("2022-01-04T00:00:00Z"), "张*", Optional.empty(), Optional.empty());
    }

    private static SourceQuery traveler(int i) {
        return new SourceQuery(DocumentType.RESIDENT_ID, String.format("61010219900108%04d", i), "", "61");
    }

    private final SourceAnswerCache cache = new SourceAnswerCache(source, policy, clock, this::upstream);

    @Test
    void anAnswerTheSourceHeldIsNeverLiveAndAgesFromTheSourcesStatedAge() {
        SourceAnswer held = new SourceAnswer.HealthCode("shaanxi-ymt", HealthCodeColour.GREEN, "", Optional.empty(), "61",
                Instant.parse("2022-01-04T00:00:00Z"), "张*", Optional.empty(), Optional.empty(), Optional.of(Duration.ofMinutes(5)));
        SourceAnswerCache relaying = new SourceAnswerCache(source, policy, clock,
                (settings, query) -> CompletableFuture.completedFuture(new Fetched(held, clock.instant())));

        Provenance first = relaying.observe(traveler(7), BUDGET).join().provenance();
        assertThat(first.getKind()).isEqualTo(Provenance.Kind.STALE);
        assertThat(first.getAge().getSeconds()).isEqualTo(300);
        assertThat(first.getReason()).isEqualTo("shaanxi-ymt: the source answered from its own store, 300 s old");

        clock.advance(Duration.ofSeconds(20));
        Provenance again = relaying.observe(traveler(7), BUDGET).join().provenance();
        assertThat(again.getKind()).as("from the hub's cache, still the source's held answer").isEqualTo(Provenance.Kind.STALE);
        assertThat(again.getAge().getSeconds()).isEqualTo(320);
    }

    @Test
    void concurrentMissesForOneTravelerShareOneUpstreamCall() throws Exception {
        CompletableFuture<Void> held = holdTheSourcesReplies();
        List<CompletableFuture<Observation>> lookups = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (var threads = Executors.newFixedThreadPool(16)) {
            List<java.util.concurrent.Future<CompletableFuture<Observation>>> submitted = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                submitted.add(threads.submit(() -> {
                    start.await();
                    return cache.observe(traveler(1), BUDGET);
                }));
            }
            start.countDown();
            for (var future : submitted) {
                lookups.add(future.get());
            }
        }
        held.complete(null);

        for (CompletableFuture<Observation> lookup : lookups) {
            assertThat(lookup.get().provenance().getKind()).isIn(Provenance.Kind.LIVE, Provenance.Kind.CACHED);
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void aPushedAnswerArrivingWhileTheSourceIsAskedIsNotOverwrittenByTheOlderReply() throws Exception {
        CompletableFuture<Void> held = holdTheSourcesReplies();
        CompletableFuture<Observation> asking = cache.observe(traveler(9), BUDGET);
        SourceAnswer pushed = new SourceAnswer.HealthCode("shaanxi-ymt", HealthCodeColour.RED, "密接", Optional.empty(), "61",
                Instant.parse("2022-01-04T00:30:00Z"), "张*", Optional.empty(), Optional.empty());
        cache.put(traveler(9), pushed);
        held.complete(null);

        assertThat(asking.get().provenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
        assertThat(asking.get().answer()).contains(green());
        Observation next = cache.observe(traveler(9), BUDGET).get();
        assertThat(next.provenance().getKind()).isEqualTo(Provenance.Kind.CACHED);
        assertThat(next.answer()).contains(pushed);
        assertThat(calls).hasValue(1);
    }

    @Test
    void anAnswerAskedForBeforeAnInvalidationIsNotKept() throws Exception {
        CompletableFuture<Void> held = holdTheSourcesReplies();
        CompletableFuture<Observation> asking = cache.observe(traveler(10), BUDGET);
        cache.invalidate(traveler(10));
        held.complete(null);

        assertThat(asking.get().provenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
        assertThat(cache.held(traveler(10))).isEmpty();
        assertThat(cache.observe(traveler(10), BUDGET).get().provenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
        assertThat(calls).hasValue(2);
    }

    @Test
    void aRenewalPastFreshForIsOneCallForEveryoneWaitingAndIsKept() throws Exception {
        cache.observe(traveler(11), BUDGET).get();
        clock.advance(Duration.ofSeconds(90));
        CompletableFuture<Void> held = holdTheSourcesReplies();
        CompletableFuture<Observation> first = cache.observe(traveler(11), BUDGET);
        CompletableFuture<Observation> second = cache.observe(traveler(11), BUDGET);
        assertThat(first).isNotDone();
        held.complete(null);

        assertThat(first.get().provenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
        assertThat(second.get().provenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
        assertThat(calls).hasValue(2);
        Provenance after = cache.observe(traveler(11), BUDGET).get().provenance();
        assertThat(after.getKind()).isEqualTo(Provenance.Kind.CACHED);
        assertThat(after.getAge().getSeconds()).isZero();
    }

    @Test
    void freshAnswersAreServedAsCachedWithTheirAge() throws Exception {
        assertThat(cache.observe(traveler(2), BUDGET).get().provenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
        clock.advance(Duration.ofSeconds(20));

        Provenance again = cache.observe(traveler(2), BUDGET).get().provenance();

        assertThat(again.getKind()).isEqualTo(Provenance.Kind.CACHED);
        assertThat(again.getAge().getSeconds()).isEqualTo(20);
        assertThat(calls).hasValue(1);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void readsPastRefreshAheadRenewInTheBackgroundWithoutWaiting() throws Exception {
        cache.observe(traveler(3), BUDGET).get();
        clock.advance(Duration.ofSeconds(50));
        CompletableFuture<Void> held = holdTheSourcesReplies();

        // Served at once from the cache although the renewal is still held back.
        CompletableFuture<Observation> read = cache.observe(traveler(3), BUDGET);
        assertThat(read).isCompleted();
        assertThat(read.get().provenance().getKind()).isEqualTo(Provenance.Kind.CACHED);
        assertThat(calls).hasValue(2);

        held.complete(null);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(cache.observe(traveler(3), BUDGET).get().provenance().getAge().getSeconds()).isZero());
    }

    @Test
    void aFailingSourceIsCoveredByTheLastAnswerUntilMaxStale() throws Exception {
        cache.observe(traveler(4), BUDGET).get();
        failing.set(new ConnectException("Connection refused"));

        clock.advance(Duration.ofMinutes(10));
        Provenance stale = cache.observe(traveler(4), BUDGET).get().provenance();
        assertThat(stale.getKind()).isEqualTo(Provenance.Kind.STALE);
        assertThat(stale.getAge().getSeconds()).isEqualTo(600);
        assertThat(stale.getReason()).isEqualTo("shaanxi-ymt: connection refused");
        assertThat(cache.staleServed()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(25));
        Observation tooOld = cache.observe(traveler(4), BUDGET).get();
        assertThat(tooOld.provenance().getKind()).isEqualTo(Provenance.Kind.UNAVAILABLE);
        assertThat(tooOld.answer()).isEmpty();
    }

    @Test
    void aSourceThatNeverAnsweredIsUnavailable() throws Exception {
        failing.set(new ConnectException("Connection refused"));
        Observation observation = cache.observe(traveler(5), BUDGET).get();
        assertThat(observation.provenance().getKind()).isEqualTo(Provenance.Kind.UNAVAILABLE);
        assertThat(observation.answer()).isEmpty();
    }

    @Test
    void noRecordIsRememberedBrieflyOnly() throws Exception {
        SourceAnswerCache negatives = new SourceAnswerCache(source, policy, clock, (settings, query) -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(new Fetched(new SourceAnswer.NotFound("shaanxi-ymt", "no record"), clock.instant()));
        });
        negatives.observe(traveler(6), BUDGET).get();
        clock.advance(Duration.ofSeconds(20));
        negatives.observe(traveler(6), BUDGET).get();
        assertThat(calls).hasValue(1);

        clock.advance(Duration.ofSeconds(15));
        negatives.cleanUp();
        negatives.observe(traveler(6), BUDGET).get();
        assertThat(calls).hasValue(2);
    }

    @Test
    void aPushedChangeInvalidatesWhatIsHeld() throws Exception {
        cache.observe(traveler(7), BUDGET).get();
        cache.invalidate(traveler(7));
        assertThat(cache.observe(traveler(7), BUDGET).get().provenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
        assertThat(calls).hasValue(2);
    }

    @Test
    void aCallerWithNoTimeLeftDoesNotStartAnUpstreamCall() throws Exception {
        Observation observation = cache.observe(traveler(8), Duration.ZERO).get();
        assertThat(observation.provenance().getKind()).isEqualTo(Provenance.Kind.UNAVAILABLE);
        assertThat(observation.provenance().getReason()).isEqualTo("shaanxi-ymt: caller's deadline passed before the source was asked");
        assertThat(calls).hasValue(0);
    }

    @Test
    void memoryStaysWithinItsWeightBudgetWithAMillionTravelers() {
        for (int i = 0; i < 1_000_000; i++) {
            cache.put(new SourceQuery(DocumentType.PASSPORT, "E" + i, "", "61"), green());
        }
        cache.cleanUp();

        long budget = policy.maxWeight().toBytes();
        assertThat(cache.weightedSize()).isPositive().isLessThanOrEqualTo(budget);
        assertThat(cache.estimatedSize()).isLessThan(1_000_000);
        // Every entry weighs at least its fixed overhead, so the entry count is bounded by the budget too.
        assertThat(cache.estimatedSize()).isLessThanOrEqualTo(budget / 160);
    }
}
