package dev.tongxing.hub.exchange;

import static dev.tongxing.hub.exchange.ExchangeClient.change;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.ChangeAck.Outcome;
import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.StatusChange;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.client.HubChannels;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.hub.security.Role;
import dev.tongxing.hub.support.HubProcess;
import dev.tongxing.hub.support.TestIssuer;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import dev.tongxing.hub.support.LocalPostgres;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Three hub replicas, each a JVM process of its own, as a fleet on a real Kafka broker (KRaft)
 * and a real PostgreSQL, all on loopback and configured as production is (the audit log commits
 * to PostgreSQL directly). What one replica applies, the others' subscribers hear and their
 * lookups answer.
 */
class FleetProcessesTest {

    private static final Logger log = LoggerFactory.getLogger(FleetProcessesTest.class);
    static final String GUANGZHOU_SOUTH = "checkpoint-guangzhou-south";
    static final String XIAN_NORTH = "checkpoint-xian-north";

    static EmbeddedKafkaKraftBroker kafka;
    static LocalPostgres postgres;
    static SimulatedSystems provinces;
    static final List<HubProcess> replicas = new ArrayList<>();
    static final List<ExchangeClient> clients = new ArrayList<>();
    static final List<Map<String, String>> replicaSettings = new ArrayList<>();
    static final List<Path> replicaLogs = new ArrayList<>();

    @BeforeAll
    static void startFleet() throws Exception {
        kafka = new EmbeddedKafkaKraftBroker(1, 3);
        kafka.afterPropertiesSet();
        postgres = LocalPostgres.start();
        String databaseUrl = postgres.newDatabase("fleet_processes").getUrl();
        provinces = SimulatedSystems.start(0, 0, new SimulatedPopulation(10_000), Duration.ofMillis(2), Duration.ofMillis(5), Clock.systemUTC());
        Path logs = Path.of("target", "fleet-processes");
        Files.createDirectories(logs);
        List<CompletableFuture<HubProcess>> starting = new ArrayList<>();
        for (String name : List.of("hub-1", "hub-2", "hub-3")) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("tongxing.demo.port", String.valueOf(provinces.httpPort()));
            settings.put("tongxing.demo.grpc-port", String.valueOf(provinces.grpcPort()));
            settings.put("tongxing.exchange.store-dir", Files.createTempDirectory("tongxing-" + name).toString());
            settings.put("tongxing.audit.replica-id", name);
            settings.put("tongxing.audit.journal.enabled", "false");
            settings.put("spring.datasource.url", databaseUrl);
            settings.put("spring.datasource.username", "tongxing");
            settings.put("spring.datasource.hikari.maximum-pool-size", "4");
            settings.put("spring.kafka.bootstrap-servers", kafka.getBrokersAsString());
            settings.put("tongxing.fleet.kafka.enabled", "true");
            settings.put("tongxing.fleet.kafka.create-topic", "true");
            settings.put("tongxing.fleet.kafka.partitions", "3");
            settings.put("tongxing.fleet.kafka.replication-factor", "1");
            settings.put("tongxing.fleet.leases.enabled", "true");
            settings.put("tongxing.fleet.leases.heartbeat", "250ms");
            settings.put("tongxing.fleet.leases.ttl", "1s");
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
    void aChangeAppliedOnOneReplicaReachesSubscribersOnTheOthersWithinASecondAndTheirLookupsShowIt() throws Exception {
        ExchangeClient onA = clients.get(0);
        ExchangeClient onB = clients.get(1);
        ExchangeClient onC = clients.get(2);
        int traveler = 3_000;
        // Scanned in Guangzhou on B and C, so Guangdong's subscribers there are told of changes; B holds GREEN.
        TravelerStatus before = onB.status(traveler, GUANGZHOU_SOUTH);
        assertThat(before.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
        onC.status(traveler, GUANGZHOU_SOUTH);
        FleetTest.Subscription onBHears = FleetTest.Subscription.open(onB, "", true);
        FleetTest.Subscription onCHears = FleetTest.Subscription.open(onC, "", true);
        onBHears.nextMark(Duration.ofSeconds(10));
        onCHears.nextMark(Duration.ofSeconds(10));

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
            Thread.sleep(5_500); // the last scans' deadlines
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        log.info("MEASURE rolling restart of 3 replicas: {} scans answered, failed: {}", answered.get(), failed);
        assertThat(failed).as("scans that failed during the rolling restart").isEmpty();
        assertThat(answered.get()).isGreaterThan(500);
    }

    static long percentile(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
}
