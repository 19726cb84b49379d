package dev.tongxing.hub.exchange;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.tongxing.hub.exchange.ExchangeClient.change;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.ChangeAck.Outcome;
import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.StatusChange;
import dev.tongxing.api.v1.SubscribeRequest;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.hub.resilience.FleetShare;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.HubReplica;
import dev.tongxing.localpostgres.LocalPostgres;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedSystems;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Hub replicas as a fleet, on a real Kafka broker (KRaft, in this JVM) and a real PostgreSQL, all
 * on loopback: two replicas (Spring contexts of their own) share the change topic and the database;
 * a third joins and leaves. The simulated provinces run once, and Shaanxi's system sits behind a
 * WireMock proxy that records when each request reached it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetTest {

    private static final Logger log = LoggerFactory.getLogger(FleetTest.class);
    static final String GUANGZHOU_SOUTH = "checkpoint-guangzhou-south";
    static final String XIAN_NORTH = "checkpoint-xian-north";
    static final String SHAANXI = "shaanxi-ymt";
    /** Shaanxi's declared capacity for the whole fleet, requests per second. */
    static final int CAPACITY = 24;

    static EmbeddedKafkaKraftBroker kafka;
    static LocalPostgres postgres;
    static String databaseUrl;
    static SimulatedSystems provinces;
    static WireMockServer shaanxiProxy;
    static HubReplica a;
    static HubReplica b;
    static ExchangeClient onA;
    static ExchangeClient onB;
    static JdbcTemplate database;

    @BeforeAll
    static void startFleet() throws Exception {
        long started = System.nanoTime();
        kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.afterPropertiesSet();
        log.info("MEASURE kafka broker (KRaft, 1 node) started in {} ms", millisSince(started));

        started = System.nanoTime();
        postgres = LocalPostgres.start();
        var fleetDatabase = postgres.newDatabase("fleet");
        databaseUrl = fleetDatabase.getUrl();
        database = new JdbcTemplate(fleetDatabase);
        log.info("MEASURE postgres started in {} ms", millisSince(started));

        provinces = SimulatedSystems.start(0, 0, new SimulatedPopulation(10_000), Duration.ofMillis(2), Duration.ofMillis(5), Clock.systemUTC());
        shaanxiProxy = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(40));
        shaanxiProxy.start();
        shaanxiProxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom("http://127.0.0.1:" + provinces.httpPort())));

        // Both at once: their Flyway migrations meet on one empty database.
        started = System.nanoTime();
        CompletableFuture<HubReplica> first = CompletableFuture.supplyAsync(() -> HubReplica.start("hub-a", replicaProperties()));
        CompletableFuture<HubReplica> second = CompletableFuture.supplyAsync(() -> HubReplica.start("hub-b", replicaProperties()));
        a = first.join();
        b = second.join();
        log.info("MEASURE two replicas started together in {} ms", millisSince(started));
        onA = new ExchangeClient(a.grpcPort());
        onB = new ExchangeClient(b.grpcPort());
    }

    static Map<String, Object> replicaProperties() {
        Map<String, Object> properties = new HashMap<>(fleetSettings(provinces, shaanxiProxy.port(), CAPACITY, databaseUrl,
                kafka.getBrokersAsString()));
        properties.put("tongxing.fleet.relay.poll-interval", "200ms");
        return properties;
    }

    /**
     * A fleet replica's settings, shared by this test's in-JVM replicas and FleetProcessesTest's
     * processes: the simulated provinces, Shaanxi behind its recording proxy at the given capacity,
     * one PostgreSQL database, the change topic on the broker, and leases renewed every 250 ms.
     */
    static Map<String, String> fleetSettings(SimulatedSystems provinces, int shaanxiProxyPort, int capacity, String databaseUrl,
                                             String kafkaBootstrap) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("tongxing.demo.port", String.valueOf(provinces.httpPort()));
        settings.put("tongxing.demo.grpc-port", String.valueOf(provinces.grpcPort()));
        settings.put("tongxing.sources." + SHAANXI + ".endpoint", "http://127.0.0.1:" + shaanxiProxyPort + "/ymt/61/api/v1/query");
        settings.put("tongxing.sources." + SHAANXI + ".resilience.capacity", String.valueOf(capacity));
        settings.put("spring.datasource.url", databaseUrl);
        settings.put("spring.datasource.username", "tongxing");
        settings.put("spring.datasource.hikari.maximum-pool-size", "4");
        settings.put("spring.kafka.bootstrap-servers", kafkaBootstrap);
        settings.put("tongxing.fleet.kafka.enabled", "true");
        settings.put("tongxing.fleet.kafka.create-topic", "true");
        settings.put("tongxing.fleet.kafka.partitions", "3");
        settings.put("tongxing.fleet.kafka.replication-factor", "1");
        settings.put("tongxing.fleet.leases.enabled", "true");
        settings.put("tongxing.fleet.leases.heartbeat", "250ms");
        settings.put("tongxing.fleet.leases.ttl", "1s");
        return settings;
    }

    @AfterAll
    static void stopFleet() throws Exception {
        for (ExchangeClient client : new ExchangeClient[] {onA, onB}) {
            if (client != null) {
                client.close();
            }
        }
        for (HubReplica replica : new HubReplica[] {a, b}) {
            if (replica != null) {
                replica.close();
            }
        }
        if (shaanxiProxy != null) {
            shaanxiProxy.stop();
        }
        if (provinces != null) {
            provinces.close();
        }
        if (kafka != null) {
            kafka.destroy();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void aChangeAppliedOnAReachesASubscriberOnBAndBStopsServingTheOldColour() throws Exception {
        int traveler = 1_000;
        // Both replicas past their start: each spends its half of Shaanxi's capacity.
        awaitShare(a, CAPACITY / 2, Duration.ofSeconds(15));
        awaitShare(b, CAPACITY / 2, Duration.ofSeconds(15));
        Thread.sleep(1_200);   // a grown share waits out one second under the old limit (0 while starting)
        // B holds the traveler's GREEN answer in its cache; the traveler was scanned in Guangzhou on A.
        TravelerStatus before = onB.status(traveler, XIAN_NORTH);
        assertThat(before.getHealthCode().getColour()).as(before.getHealthCode().getProvenance().getReason()).isEqualTo(HealthCodeColour.GREEN);
        onA.status(traveler, GUANGZHOU_SOUTH);
        awaitSighting(b, traveler, "44");

        Subscription guangdongOnB = Subscription.open(onB, "", false);
        awaitSubscribers(b, "44", 1);
        StatusChange red = change(traveler, 1, HealthCodeColour.RED, "close contact");
        try (ExchangeClient.Publication publication = onA.publish()) {
            assertThat(publication.send(red).getOutcome()).isEqualTo(Outcome.APPLIED);
        }
        ChangeNotice heard = guangdongOnB.nextChange(Duration.ofSeconds(10));
        assertThat(heard.getChangeId()).isEqualTo(red.getChangeId());
        assertThat(heard.getPosition()).startsWith("p1.");

        TravelerStatus after = onB.status(traveler, XIAN_NORTH);
        assertThat(after.getHealthCode().getColour()).isEqualTo(HealthCodeColour.RED);
        assertThat(after.getHealthCode().getReason()).isEqualTo("close contact");
        assertThat(after.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.CACHED);

        // Delivery latency across replicas: acknowledged on A, heard on B.
        List<Long> latencies = new ArrayList<>();
        try (ExchangeClient.Publication publication = onA.publish()) {
            for (int version = 2; version <= 41; version++) {
                StatusChange next = change(traveler, version, version % 2 == 0 ? HealthCodeColour.YELLOW : HealthCodeColour.RED, "v" + version);
                long sent = System.nanoTime();
                assertThat(publication.send(next).getOutcome()).isEqualTo(Outcome.APPLIED);
                ChangeNotice notice = guangdongOnB.nextChange(Duration.ofSeconds(10));
                latencies.add((System.nanoTime() - sent) / 1_000);
                assertThat(notice.getChangeId()).isEqualTo(next.getChangeId());
            }
        }
        Collections.sort(latencies);
        log.info("MEASURE fan-out A->B (publish sent to notice heard), 40 changes: p50 {} us, p99 {} us, max {} us",
                latencies.get(latencies.size() / 2), latencies.get((int) (latencies.size() * 0.99)), latencies.get(latencies.size() - 1));
        assertThat(onB.status(traveler, XIAN_NORTH).getHealthCode().getReason()).isEqualTo("v41");
        guangdongOnB.close();
    }

    @Test
    @Order(2)
    void aReplicaThatNeverLookedTheTravelerUpAnswersTheChangeOnItsFirstLookup() throws Exception {
        int traveler = 1_050;
        long readBefore = b.bean(ChangeFanOut.class).changesRead();
        StatusChange red = change(traveler, 1, HealthCodeColour.RED, "positive test");
        try (ExchangeClient.Publication publication = onA.publish()) {
            assertThat(publication.send(red).getOutcome()).isEqualTo(Outcome.APPLIED);
        }
        // B knows the traveler only by pseudonym when the change arrives: it has never asked for them.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (b.bean(ChangeFanOut.class).changesRead() == readBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(b.bean(ChangeFanOut.class).changesRead()).as("B read the change from the log").isGreaterThan(readBefore);

        // Shaanxi's own system still says GREEN; B's first lookup gives the change instead.
        TravelerStatus first = onB.status(traveler, XIAN_NORTH);
        assertThat(first.getHealthCode().getColour()).as(first.getHealthCode().getProvenance().getReason()).isEqualTo(HealthCodeColour.RED);
        assertThat(first.getHealthCode().getReason()).isEqualTo("positive test");
        assertThat(first.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.CACHED);
        assertThat(onB.status(traveler, GUANGZHOU_SOUTH).getHealthCode().getColour()).isEqualTo(HealthCodeColour.RED);
    }

    @Test
    @Order(3)
    void aSubscriberResumesOnTheOtherReplicaFromItsPositionAndMissesNothing() throws Exception {
        int traveler = 1_100;
        onB.status(traveler, GUANGZHOU_SOUTH);
        awaitSighting(a, traveler, "44");

        Subscription onBFirst = Subscription.open(onB, "", true);
        String start = onBFirst.nextMark(Duration.ofSeconds(10));
        try (ExchangeClient.Publication publication = onA.publish()) {
            assertThat(publication.send(change(traveler, 1, HealthCodeColour.YELLOW, "c1")).getOutcome()).isEqualTo(Outcome.APPLIED);
        }
        ChangeNotice first = onBFirst.nextChange(Duration.ofSeconds(10));
        assertThat(first.getReason()).isEqualTo("c1");
        assertThat(first.getPosition()).isNotEqualTo(start);
        onBFirst.close();

        // While nobody listens, two more changes, published on both replicas.
        try (ExchangeClient.Publication publication = onB.publish()) {
            assertThat(publication.send(change(traveler, 2, HealthCodeColour.RED, "c2")).getOutcome()).isEqualTo(Outcome.APPLIED);
        }
        try (ExchangeClient.Publication publication = onA.publish()) {
            assertThat(publication.send(change(traveler, 3, HealthCodeColour.GREEN, "c3")).getOutcome()).isEqualTo(Outcome.APPLIED);
        }
        a.bean(OutboxRelay.class).drain();

        // Resumed on the other replica from the last position heard: c2 and c3 replayed, then live.
        Subscription onAResumed = Subscription.open(onA, first.getPosition(), false);
        assertThat(onAResumed.nextChange(Duration.ofSeconds(10)).getReason()).isEqualTo("c2");
        assertThat(onAResumed.nextChange(Duration.ofSeconds(10)).getReason()).isEqualTo("c3");
        try (ExchangeClient.Publication publication = onB.publish()) {
            assertThat(publication.send(change(traveler, 4, HealthCodeColour.RED, "c4")).getOutcome()).isEqualTo(Outcome.APPLIED);
        }
        assertThat(onAResumed.nextChange(Duration.ofSeconds(10)).getReason()).isEqualTo("c4");
        onAResumed.close();

        // From the very first mark, everything comes again, c1 included.
        Subscription fromStart = Subscription.open(onA, start, false);
        List<String> replayed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replayed.add(fromStart.nextChange(Duration.ofSeconds(10)).getReason());
        }
        assertThat(replayed).containsExactly("c1", "c2", "c3", "c4");
        fromStart.close();

        // A position that no hub issued is refused, naming the field.
        Subscription forged = Subscription.open(onA, "p1.99999999.0.0", false);
        StatusRuntimeException refused = forged.nextError(Duration.ofSeconds(10));
        assertThat(refused.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).startsWith("resume_from:");
    }

    @Test
    @Order(4)
    void theFleetSharesAProvincesCapacityAndRebalancesWhenAReplicaJoinsAndLeaves() throws Exception {
        awaitShare(a, CAPACITY / 2, Duration.ofSeconds(10));
        awaitShare(b, CAPACITY / 2, Duration.ofSeconds(10));
        shaanxiProxy.resetRequests();
        AtomicInteger nextTraveler = new AtomicInteger(2_000);
        Map<String, ExchangeClient> loaded = new ConcurrentHashMap<>(Map.of("a", onA, "b", onB));
        ScheduledExecutorService load = Executors.newScheduledThreadPool(2);
        // About twice the capacity from each replica, each a traveler no replica holds yet.
        load.scheduleAtFixedRate(() -> loaded.values().forEach(client -> lookUpAsync(client, nextTraveler.getAndIncrement())),
                0, 1_000 / CAPACITY, TimeUnit.MILLISECONDS);
        HubReplica c = null;
        ExchangeClient onC = null;
        try {
            Thread.sleep(3_000);

            long joining = System.nanoTime();
            c = HubReplica.start("hub-c", replicaProperties());
            long started = System.nanoTime();
            onC = new ExchangeClient(c.grpcPort());
            loaded.put("c", onC);
            awaitShare(a, CAPACITY / 3, Duration.ofSeconds(10));
            awaitShare(b, CAPACITY / 3, Duration.ofSeconds(10));
            long othersShrunk = System.nanoTime();
            awaitShare(c, CAPACITY / 3, Duration.ofSeconds(15));
            log.info("MEASURE join: context start {} ms; A and B at 1/3 {} ms after C was up; C spends its share {} ms after it was up",
                    (started - joining) / 1_000_000, (othersShrunk - started) / 1_000_000, millisSince(started));
            Thread.sleep(3_000);

            loaded.remove("c");
            long leaving = System.nanoTime();
            c.close();
            awaitShare(a, CAPACITY / 2, Duration.ofSeconds(5));
            awaitShare(b, CAPACITY / 2, Duration.ofSeconds(5));
            log.info("MEASURE leave: A and B back to 1/2 {} ms after C stopped", millisSince(leaving));
            Thread.sleep(3_000);
        } finally {
            load.shutdownNow();
            load.awaitTermination(5, TimeUnit.SECONDS);
            if (onC != null) {
                onC.close();
            }
            if (c != null) {
                c.close();
            }
        }
        List<Long> arrivals = shaanxiProxy.getAllServeEvents().stream()
                .map(event -> event.getRequest().getLoggedDate().getTime()).sorted().toList();
        int busiest = busiestSecond(arrivals);
        log.info("MEASURE shaanxi received {} requests; busiest one-second window {} (declared capacity {})",
                arrivals.size(), busiest, CAPACITY);
        assertThat(arrivals.size()).as("the province was asked at all").isGreaterThan(CAPACITY * 5);
        assertThat(busiest).as("requests in the busiest one-second window at the province").isLessThanOrEqualTo(CAPACITY);
    }

    @Test
    @Order(5)
    void aChangeCommittedByAReplicaThatDiesBeforePublishingIsPublishedByAnother() throws Exception {
        int traveler = 1_200;
        onA.status(traveler, GUANGZHOU_SOUTH);
        awaitSighting(b, traveler, "44");
        Subscription guangdongOnB = Subscription.open(onB, "", false);
        awaitSubscribers(b, "44", 1);

        // A commits the change and acknowledges it, then dies before any relay publishes it (B's is
        // held too, or it would publish A's change at its next poll, as it does once it runs again).
        a.bean(OutboxRelay.class).stop();
        b.bean(OutboxRelay.class).stop();
        StatusChange red = change(traveler, 1, HealthCodeColour.RED, "committed, not yet published");
        try (ExchangeClient.Publication publication = onA.publish()) {
            assertThat(publication.send(red).getOutcome()).isEqualTo(Outcome.APPLIED);
        }
        assertThat(database.queryForObject("SELECT COUNT(*) FROM change_outbox", Integer.class)).isEqualTo(1);
        onA.close();
        onA = null;
        long died = System.nanoTime();
        a.close();
        b.bean(OutboxRelay.class).start();

        ChangeNotice heard = guangdongOnB.nextChange(Duration.ofSeconds(10));
        log.info("MEASURE outbox catch-up: B's relay published A's orphaned change, heard {} ms after A stopped", millisSince(died));
        assertThat(heard.getChangeId()).isEqualTo(red.getChangeId());
        assertThat(database.queryForObject("SELECT COUNT(*) FROM change_outbox", Integer.class)).isZero();
        assertThat(database.queryForObject("SELECT COUNT(*) FROM applied_change WHERE change_id = ?", Integer.class, red.getChangeId())).isEqualTo(1);
        guangdongOnB.close();
    }

    // ---- helpers

    static void lookUpAsync(ExchangeClient client, int traveler) {
        CompletableFuture.runAsync(() -> {
            try {
                client.status(traveler, XIAN_NORTH);
            } catch (RuntimeException e) {
                // refused or shut down: the province's side is what is measured
            }
        });
    }

    /** The most arrivals in any window [t, t + 1000 ms). */
    static int busiestSecond(List<Long> sortedMillis) {
        int best = 0;
        int from = 0;
        for (int to = 0; to < sortedMillis.size(); to++) {
            while (sortedMillis.get(to) - sortedMillis.get(from) >= 1_000) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }

    static void awaitShare(HubReplica replica, int perSecond, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        FleetShare share = replica.bean(FleetShare.class);
        while (share.perSecond(SHAANXI) != perSecond) {
            if (System.nanoTime() > until) {
                throw new AssertionError(replica.name() + " spends " + share.perSecond(SHAANXI) + "/s of " + SHAANXI + ", expected " + perSecond);
            }
            Thread.sleep(20);
        }
    }

    static void awaitSighting(HubReplica replica, int traveler, String province) throws InterruptedException {
        String pseudonym = replica.bean(TravelerPseudonyms.class).of(new SourceQuery(DocumentType.RESIDENT_ID,
                SimulatedPopulation.traveler(traveler).residentId(), "", "61"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!replica.bean(TravelerSightings.class).provincesOf(pseudonym).contains(province)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("the sighting never reached " + replica.name());
            }
            Thread.sleep(10);
        }
    }

    static void awaitSubscribers(HubReplica replica, String province, int count) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (replica.bean(ChangeSubscriptions.class).subscriberCount(province) < count) {
            if (System.nanoTime() > until) {
                throw new AssertionError("subscriber of " + province + " never registered on " + replica.name());
            }
            Thread.sleep(10);
        }
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    /** Guangdong's subscription on one replica; what it hears, in order. */
    static final class Subscription implements AutoCloseable {
        final BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
        final Context.CancellableContext context = Context.current().withCancellation();

        /** Guangdong's subscription from now on, once the replica has confirmed it with a position mark. */
        static Subscription listening(ExchangeClient client) throws InterruptedException {
            Subscription subscription = open(client, "", true);
            subscription.nextMark(Duration.ofSeconds(10));
            return subscription;
        }

        static Subscription open(ExchangeClient client, String resumeFrom, boolean marks) {
            Subscription subscription = new Subscription();
            subscription.context.run(() -> client.exchange(ExchangeClient.GUANGDONG).subscribeStatusChanges(
                    SubscribeRequest.newBuilder().setProvince("44").setResumeFrom(resumeFrom).setPositionMarks(marks).build(),
                    new StreamObserver<>() {
                        @Override public void onNext(ChangeNotice notice) { subscription.heard.add(notice); }
                        @Override public void onError(Throwable t) { subscription.heard.add(t); }
                        @Override public void onCompleted() { subscription.heard.add("completed"); }
                    }));
            return subscription;
        }

        ChangeNotice nextChange(Duration within) throws InterruptedException {
            long until = System.nanoTime() + within.toNanos();
            while (true) {
                Object item = heard.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (item instanceof ChangeNotice notice && !notice.getChangeId().isEmpty()) {
                    return notice;
                }
                if (item == null || !(item instanceof ChangeNotice)) {
                    throw new AssertionError("expected a change, got " + item);
                }
            }
        }

        String nextMark(Duration within) throws InterruptedException {
            Object item = heard.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (item instanceof ChangeNotice notice && notice.getChangeId().isEmpty()) {
                return notice.getPosition();
            }
            throw new AssertionError("expected a position mark, got " + item);
        }

        StatusRuntimeException nextError(Duration within) throws InterruptedException {
            Object item = heard.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (item instanceof StatusRuntimeException error) {
                return error;
            }
            throw new AssertionError("expected an error, got " + item);
        }

        @Override
        public void close() {
            context.cancel(null);
        }
    }
}
