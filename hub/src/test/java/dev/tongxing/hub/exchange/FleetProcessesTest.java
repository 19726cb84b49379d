package dev.tongxing.hub.exchange;

import static dev.tongxing.hub.exchange.ExchangeClient.change;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.client.HubChannels;
import dev.tongxing.api.v1.ChangeAck.Outcome;
import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.StatusChange;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.hub.security.Role;
import dev.tongxing.hub.support.HubProcess;
import dev.tongxing.hub.support.KafkaProcess;
import dev.tongxing.hub.support.RecordingProxyProcess;
import dev.tongxing.hub.support.ScratchDirectories;
import dev.tongxing.localpostgres.LocalPostgres;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedSystems;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Three hub replicas, each a JVM process of its own, as a fleet on a real Kafka broker (KRaft, a
 * process of its own too, so that it can be stopped) and a real PostgreSQL, all on loopback and configured as production is (the audit log commits
 * to PostgreSQL directly). What one replica applies, the others' subscribers hear and their
 * lookups answer.
 */
class FleetProcessesTest {

    private static final Logger log = LoggerFactory.getLogger(FleetProcessesTest.class);
    static final String GUANGZHOU_SOUTH = "checkpoint-guangzhou-south";
    static final String XIAN_NORTH = "checkpoint-xian-north";

    static KafkaProcess kafka;
    static LocalPostgres postgres;
    static SimulatedSystems provinces;
    static JdbcTemplate database;
    static RecordingProxyProcess shaanxiProxy;
    /** Shaanxi's declared capacity for the whole fleet, requests per second. */
    static final int CAPACITY = 30;
    static final List<HubProcess> replicas = new ArrayList<>();
    static final List<ExchangeClient> clients = new ArrayList<>();
    static final List<Map<String, String>> replicaSettings = new ArrayList<>();
    static final List<Path> replicaLogs = new ArrayList<>();

    @BeforeAll
    static void startFleet() throws Exception {
        Path logs = Path.of("target", "fleet-processes");
        Files.createDirectories(logs);
        Files.deleteIfExists(logs.resolve("kafka.log"));
        kafka = KafkaProcess.start(logs.resolve("kafka.log"));
        postgres = LocalPostgres.start();
        database = new JdbcTemplate(postgres.newDatabase("fleet_processes"));
        String databaseUrl = ((org.postgresql.ds.PGSimpleDataSource) database.getDataSource()).getUrl();
        provinces = SimulatedSystems.start(0, 0, new SimulatedPopulation(20_000), Duration.ofMillis(2), Duration.ofMillis(5), Clock.systemUTC());
        // Shaanxi's system behind a recording proxy of its own process: when each request reached the province.
        Files.deleteIfExists(logs.resolve("shaanxi-proxy.log"));
        shaanxiProxy = RecordingProxyProcess.start("http://127.0.0.1:" + provinces.httpPort(), logs.resolve("shaanxi-proxy.log"));
        List<CompletableFuture<HubProcess>> starting = new ArrayList<>();
        for (String name : List.of("hub-1", "hub-2", "hub-3")) {
            Map<String, String> settings = new LinkedHashMap<>(FleetTest.fleetSettings(provinces, shaanxiProxy.port(), CAPACITY,
                    databaseUrl, kafka.bootstrapServers()));
            settings.put("tongxing.exchange.store-dir", ScratchDirectories.create("tongxing-" + name).toString());
            settings.put("tongxing.audit.replica-id", name);
            // Four JVMs, a broker and a database share two cores here: the province's pace is under test, not its latency.
            settings.put("tongxing.sources.shaanxi-ymt.timeout", "5s");
            settings.put("tongxing.audit.journal.enabled", "false");
            settings.put("logging.level.root", "WARN");
            Path replicaLog = logs.resolve(name + ".log");
            Files.deleteIfExists(replicaLog);
            replicaSettings.add(settings);
            replicaLogs.add(replicaLog);
            // All three at once: their Flyway migrations meet on one empty database.
            starting.add(CompletableFuture.supplyAsync(() -> HubProcess.start(settings, replicaLog)));
        }
        for (CompletableFuture<HubProcess> replica : starting) {
            replicas.add(replica.join());
        }
        replicas.forEach(replica -> clients.add(new ExchangeClient(replica.grpcPort())));
    }

    @AfterAll
    static void stopFleet() throws Exception {
        for (ExchangeClient client : clients) {
            client.close();
        }
        for (HubProcess replica : replicas) {
            replica.close();
        }
        if (shaanxiProxy != null) {
            shaanxiProxy.close();
        }
        if (provinces != null) {
            provinces.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aChangeAppliedOnOneReplicaReachesSubscribersOnTheOthersWithinASecondAndTheirLookupsShowIt() throws Exception {
        ExchangeClient onA = clients.get(0);
        ExchangeClient onB = clients.get(1);
        ExchangeClient onC = clients.get(2);
        int traveler = 3_000;
        // Scanned in Guangzhou on B and C, so Guangdong's subscribers there are told of changes; B holds GREEN.
        TravelerStatus before = answeredByProvince(onB, traveler, GUANGZHOU_SOUTH);
        assertThat(before.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
        answeredByProvince(onC, traveler, GUANGZHOU_SOUTH);
        FleetTest.Subscription onBHears = FleetTest.Subscription.listening(onB);
        FleetTest.Subscription onCHears = FleetTest.Subscription.listening(onC);

        List<Long> toB = new ArrayList<>();
        List<Long> toC = new ArrayList<>();
        try (ExchangeClient.Publication publication = onA.publish()) {
            for (int version = 1; version <= 40; version++) {
                StatusChange next = change(traveler, version, version % 2 == 0 ? HealthCodeColour.YELLOW : HealthCodeColour.RED, "v" + version);
                long sent = System.nanoTime();
                assertThat(publication.send(next).getOutcome()).isEqualTo(Outcome.APPLIED);
                ChangeNotice onBNotice = onBHears.nextChange(Duration.ofSeconds(1));
                toB.add((System.nanoTime() - sent) / 1_000);
                ChangeNotice onCNotice = onCHears.nextChange(Duration.ofSeconds(1));
                toC.add((System.nanoTime() - sent) / 1_000);
                assertThat(onBNotice.getChangeId()).isEqualTo(next.getChangeId());
                assertThat(onCNotice.getChangeId()).isEqualTo(next.getChangeId());
            }
        }
        assertThat(Collections.max(toB)).as("µs from A's acknowledgement to B's subscriber").isLessThan(1_000_000L);
        assertThat(Collections.max(toC)).as("µs from A's acknowledgement to C's subscriber").isLessThan(1_000_000L);
        // C is read after B: its figures are upper bounds.
        log.info("MEASURE delivery across replica processes, 40 changes: to B p50 {} us p99 {} us; to C (at most) p50 {} us p99 {} us",
                percentile(toB, 50), percentile(toB, 99), percentile(toC, 50), percentile(toC, 99));

        TravelerStatus after = onB.status(traveler, XIAN_NORTH);
        assertThat(after.getHealthCode().getColour()).isEqualTo(HealthCodeColour.YELLOW);
        assertThat(after.getHealthCode().getReason()).isEqualTo("v40");
        onBHears.close();
        onCHears.close();
    }

    @Test
    void aRollingRestartOfEveryReplicaUnderSteadyScansFailsNoScan() throws Exception {
        String fleet = String.join(",", replicas.stream().map(replica -> "127.0.0.1:" + replica.grpcPort()).toList());
        ManagedChannel channel = HubChannels.forTarget(fleet).usePlaintext().build();
        CallCredentials checkpoint = TestIssuer.bearer(TestIssuer.get().token(XIAN_NORTH, "61", Role.CHECKPOINT));
        AtomicInteger answered = new AtomicInteger();
        Map<String, Integer> failed = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ScheduledExecutorService scans = Executors.newSingleThreadScheduledExecutor();
        // 50 scans a second over 200 travelers, each with a checkpoint's 5 s deadline.
        scans.scheduleAtFixedRate(() -> TravelerStatusServiceGrpc.newStub(channel).withCallCredentials(checkpoint)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.newBuilder().setTraveler(ExchangeClient.key(4_000 + next.getAndIncrement() % 200, true)).build(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(TravelerStatus status) {
                                answered.incrementAndGet();
                            }

                            @Override
                            public void onError(Throwable t) {
                                failed.merge(io.grpc.Status.fromThrowable(t).getCode() + ": " + io.grpc.Status.fromThrowable(t).getDescription(),
                                        1, Integer::sum);
                            }

                            @Override
                            public void onCompleted() {
                            }
                        }), 0, 20, TimeUnit.MILLISECONDS);
        try {
            Thread.sleep(2_000);
            for (int i = 0; i < replicas.size(); i++) {
                long stopping = System.nanoTime();
                int port = replicas.get(i).grpcPort();
                replicas.get(i).close();   // SIGTERM: NOT_SERVING, calls in flight finish, then exit
                HubProcess restarted = HubProcess.start(replicaSettings.get(i), replicaLogs.get(i), port);
                replicas.set(i, restarted);
                log.info("MEASURE rolling restart: replica {} stopped and serving again in {} ms", i + 1,
                        (System.nanoTime() - stopping) / 1_000_000);
                Thread.sleep(1_000);
            }
        } finally {
            scans.shutdown();
            scans.awaitTermination(5, TimeUnit.SECONDS);
            // Every scan sent has its answer or its error, each within its 5 s deadline.
            long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (answered.get() + failed.values().stream().mapToInt(Integer::intValue).sum() < next.get() && System.nanoTime() < settled) {
                Thread.sleep(20);
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        log.info("MEASURE rolling restart of 3 replicas: {} scans answered, failed: {}", answered.get(), failed);
        assertThat(failed).as("scans that failed during the rolling restart").isEmpty();
        assertThat(answered.get()).isGreaterThan(500);
    }

    @Test
    void tenThousandChangesAcrossReplicasWhileOneIsKilledAreAllStoredAndAllHeard() throws Exception {
        int travelers = 20;
        int perTraveler = 500;
        int first = 5_000;
        ExchangeClient onA = clients.get(0);
        ExchangeClient onB = clients.get(1);
        ExchangeClient onC = clients.get(2);
        for (int t = first; t < first + travelers; t++) {
            onB.status(t, GUANGZHOU_SOUTH);
            onC.status(t, GUANGZHOU_SOUTH);
        }
        FleetTest.Subscription onBHears = FleetTest.Subscription.listening(onB);
        FleetTest.Subscription onCHears = FleetTest.Subscription.listening(onC);

        // Half the travelers' changes go to A, half to B, in version order per traveler.
        List<StatusChange> forA = new ArrayList<>();
        List<StatusChange> forB = new ArrayList<>();
        for (int version = 1; version <= perTraveler; version++) {
            for (int t = first; t < first + travelers; t++) {
                StatusChange next = change(t, version, version % 2 == 0 ? HealthCodeColour.YELLOW : HealthCodeColour.RED, "k" + version);
                (t - first < travelers / 2 ? forA : forB).add(next);
            }
        }
        Pipeline toA = new Pipeline(onA, forA);
        Pipeline toB = new Pipeline(onB, forB);
        // SIGKILL A once about a third of its changes are acknowledged.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (toA.acked.size() < forA.size() / 3 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        int port = replicas.get(0).grpcPort();
        replicas.get(0).kill();
        int ackedByA = toA.acked.size();
        assertThat(ackedByA).as("A acknowledged some changes before it was killed").isPositive().isLessThan(forA.size());
        // What A did not acknowledge, its publisher sends again, to C: applied there, or DUPLICATE if A had committed it.
        List<StatusChange> resend = forA.stream().filter(change -> !toA.acked.containsKey(change.getChangeId())).toList();
        Pipeline toC = new Pipeline(onC, resend);
        Map<String, Outcome> acked = new LinkedHashMap<>();
        acked.putAll(toA.acked);
        acked.putAll(toB.awaitAll(Duration.ofSeconds(90)));
        acked.putAll(toC.awaitAll(Duration.ofSeconds(90)));
        assertThat(acked).hasSize(travelers * perTraveler);
        assertThat(acked.values()).as("every change applied once, or a duplicate of one applied before").allMatch(
                outcome -> outcome == Outcome.APPLIED || outcome == Outcome.DUPLICATE);

        // Every acknowledged change is stored.
        Set<String> stored = new HashSet<>(database.queryForList(
                "SELECT change_id FROM applied_change WHERE reason LIKE 'k%'", String.class));
        assertThat(stored).containsAll(acked.keySet());

        // Every subscriber hears every one, duplicates removed by change id; A's committed, unpublished ones via another relay.
        for (FleetTest.Subscription subscription : List.of(onBHears, onCHears)) {
            Set<String> heard = new HashSet<>();
            long listenUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (heard.size() < acked.size() && System.nanoTime() < listenUntil) {
                heard.add(subscription.nextChange(Duration.ofSeconds(30)).getChangeId());
            }
            assertThat(heard).containsAll(acked.keySet());
            subscription.close();
        }
        log.info("MEASURE {} changes across replicas, A killed after acknowledging {}: all stored and heard on B and C",
                acked.size(), ackedByA);

        replicas.set(0, HubProcess.start(replicaSettings.get(0), replicaLogs.get(0), port));
    }

    @Test
    void underASurgeTheProvinceNeverGetsMoreThanItsCapacityAndTwoReplicasTakeOverTheSharesOfAThird() throws Exception {
        Thread.sleep(2_000); // shares settled after whatever restarts came before
        List<ExchangeClient> alive = new CopyOnWriteArrayList<>(clients);
        AtomicInteger nextTraveler = new AtomicInteger(10_000);
        AtomicInteger sent = new AtomicInteger();
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        // Twice the province's capacity, each lookup a traveler no replica holds, spread over the live replicas.
        load.scheduleAtFixedRate(() -> {
            ExchangeClient client = alive.get(sent.getAndIncrement() % alive.size());
            int traveler = nextTraveler.getAndIncrement();
            calls.execute(() -> {
                try {
                    TravelerStatus status = client.status(traveler, XIAN_NORTH);
                    outcomes.merge(status.getHealthCode().getProvenance().getKind() + " " + status.getHealthCode().getProvenance().getReason()
                            .replaceAll("[0-9]+", "N"), 1, Integer::sum);
                } catch (RuntimeException refusedOrGone) {
                    outcomes.merge(refusedOrGone.getMessage(), 1, Integer::sum); // the province's side is what is measured
                }
            });
        }, 0, 1_000_000 / (2 * CAPACITY), TimeUnit.MICROSECONDS);
        long killedAt;
        int port = replicas.get(2).grpcPort();
        try {
            Thread.sleep(2_000); // warm-up, not counted
            shaanxiProxy.resetRequests();
            Thread.sleep(4_000);
            alive.remove(clients.get(2));
            killedAt = System.currentTimeMillis();
            replicas.get(2).kill();
            Thread.sleep(7_000);
        } finally {
            load.shutdownNow();
            calls.shutdown();
            calls.awaitTermination(10, TimeUnit.SECONDS);
        }
        List<Long> arrivals = shaanxiProxy.arrivals();
        int busiest = FleetTest.busiestSecond(arrivals);
        // Takeover: the first one-second window after the kill in which the two survivors send at least 90 % of the capacity.
        long takeover = -1;
        for (long from = killedAt; from + 1_000 <= killedAt + 7_000; from += 100) {
            long start = from;
            long count = arrivals.stream().filter(at -> at >= start && at < start + 1_000).count();
            if (count >= CAPACITY * 0.9) {
                takeover = from + 1_000 - killedAt;
                break;
            }
        }
        log.info("MEASURE surge on 3 replica processes: Shaanxi received {} requests, busiest one-second window {} (capacity {}); "
                + "after one replica was killed the other two sent >= 90 % of the capacity in a full second {} ms later", arrivals.size(),
                busiest, CAPACITY, takeover);
        long firstArrival = arrivals.isEmpty() ? killedAt : arrivals.get(0);
        Map<Long, Long> perSecond = new java.util.TreeMap<>();
        arrivals.forEach(at -> perSecond.merge((at - firstArrival) / 1_000, 1L, Long::sum));
        log.info("surge: arrivals per second from the first {}; kill at second {}; lookups answered {}", perSecond,
                (killedAt - firstArrival) / 1_000, outcomes);
        replicas.set(2, HubProcess.start(replicaSettings.get(2), replicaLogs.get(2), port));
        assertThat(arrivals.size()).as("the province was asked at all").isGreaterThan(CAPACITY * 5);
        assertThat(busiest).as("requests in the busiest one-second window at the province").isLessThanOrEqualTo((int) (CAPACITY * 1.05));
        assertThat(takeover).as("ms from the kill until the survivors spend the whole capacity").isBetween(0L, 5_000L);
    }

    @Test
    void withTheBrokerStoppedForTenSecondsLookupsAnswerChangesAreStoredAndTheyAreDeliveredWhenItReturns() throws Exception {
        ExchangeClient onA = clients.get(0);
        ExchangeClient onB = clients.get(1);
        int traveler = 3_500;
        onB.status(traveler, GUANGZHOU_SOUTH);
        FleetTest.Subscription onBHears = FleetTest.Subscription.listening(onB);

        kafka.stop();
        try {
            long stopped = System.nanoTime();
            List<String> published = new ArrayList<>();
            int lookups = 0;
            try (ExchangeClient.Publication publication = onA.publish()) {
                for (int version = 1; System.nanoTime() - stopped < TimeUnit.SECONDS.toNanos(10); version++) {
                    for (ExchangeClient client : clients) {
                        // Answered within the checkpoint's 5 s deadline, or status() throws. (Whether Shaanxi had
                        // capacity left for this replica is another matter: a replica that has just started waits
                        // for its share.)
                        TravelerStatus status = client.status(3_600 + lookups++ % 50, XIAN_NORTH);
                        assertThat(status.hasVerdict()).isTrue();
                    }
                    if (version <= 5) {
                        StatusChange next = change(traveler, version, HealthCodeColour.RED, "outage v" + version);
                        assertThat(publication.send(next).getOutcome()).isEqualTo(Outcome.APPLIED);
                        published.add(next.getChangeId());
                    }
                    Thread.sleep(200);
                }
            }
            Set<String> stored = new HashSet<>(database.queryForList("SELECT change_id FROM applied_change WHERE reason LIKE 'outage v%'",
                    String.class));
            assertThat(stored).as("changes acknowledged while the broker was down are stored").containsAll(published);

            kafka.startAgain();
            long back = System.nanoTime();
            Set<String> heard = new HashSet<>();
            while (heard.size() < published.size()) {
                heard.add(onBHears.nextChange(Duration.ofSeconds(60)).getChangeId());
            }
            log.info("MEASURE broker stopped 10 s: {} lookups answered on 3 replicas, {} changes stored; delivered {} ms after it returned",
                    lookups, published.size(), (System.nanoTime() - back) / 1_000_000);
            assertThat(heard).containsAll(published);
        } finally {
            if (!kafka.running()) {
                kafka.startAgain(); // for the tests after this one
            }
        }
        onBHears.close();
    }

    /**
     * A lookup the province answered. A replica restarted by an earlier test spends no share of the
     * province's capacity until the fleet has seen it for a while, and answers UNAVAILABLE meanwhile.
     */
    static TravelerStatus answeredByProvince(ExchangeClient client, int traveler, String checkpoint) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        TravelerStatus status = client.status(traveler, checkpoint);
        while (status.getHealthCode().getColour() == HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED && System.nanoTime() < until) {
            Thread.sleep(200);
            status = client.status(traveler, checkpoint);
        }
        return status;
    }

    /** One PublishStatusChanges stream sending every change at once; acknowledgements by change id. */
    static final class Pipeline {
        final Map<String, Outcome> acked = new ConcurrentHashMap<>();
        final CompletableFuture<io.grpc.Status> ended = new CompletableFuture<>();

        Pipeline(ExchangeClient client, List<StatusChange> changes) {
            StreamObserver<StatusChange> requests = client.exchange(ExchangeClient.SHAANXI).publishStatusChanges(new StreamObserver<>() {
                @Override
                public void onNext(dev.tongxing.api.v1.ChangeAck ack) {
                    acked.put(ack.getChangeId(), ack.getOutcome());
                }

                @Override
                public void onError(Throwable t) {
                    ended.complete(io.grpc.Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    ended.complete(io.grpc.Status.OK);
                }
            });
            changes.forEach(requests::onNext);
            requests.onCompleted();
        }

        Map<String, Outcome> awaitAll(Duration within) throws Exception {
            io.grpc.Status status = ended.get(within.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(status.isOk()).as("publication stream ended with " + status).isTrue();
            return acked;
        }
    }

    static long percentile(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
