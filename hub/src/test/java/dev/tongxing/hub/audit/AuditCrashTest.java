package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.AuditQuery;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyAuditChainResponse;
import dev.tongxing.hub.security.Role;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.hub.support.HubProcess;
import dev.tongxing.hub.support.ScratchDirectories;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedSystems;
import dev.tongxing.simulators.SimulatedTraveler;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log's promise under the worst stop there is: a hub in its own process, under
 * concurrent lookups, killed with SIGKILL at random moments and restarted on the same store and
 * chain. Every answer a client received must have its audit record (the answer leaves only once
 * the record is durable), and the chain, resumed after every kill, must verify from its first
 * record. {@code -Dtongxing.crash.kills=N} runs a longer series.
 */
class AuditCrashTest {

    private static final int KILLS = Integer.getInteger("tongxing.crash.kills", 10);
    private static final int IN_FLIGHT = 24;
    private static final SimulatedPopulation POPULATION = new SimulatedPopulation(2_000);

    private static SimulatedSystems provinces;
    private static Map<String, String> hubSettings;
    private static Path log;

    @BeforeAll
    static void startProvinces() throws Exception {
        // The provinces outlive every hub: only the hub is killed.
        provinces = SimulatedSystems.start(FreePorts.next(), FreePorts.next(), POPULATION, Duration.ofMillis(2), Duration.ofMillis(10),
                Clock.systemUTC());
        Path store = ScratchDirectories.create("tongxing-crash-store");
        log = Path.of("target", "audit-crash-hub.log");
        Files.deleteIfExists(log);
        hubSettings = new LinkedHashMap<>();
        hubSettings.put("tongxing.demo.port", String.valueOf(provinces.httpPort()));
        hubSettings.put("tongxing.demo.grpc-port", String.valueOf(provinces.grpcPort()));
        hubSettings.put("tongxing.exchange.store-dir", store.toString());
        // One chain across every restart, as a production replica with a stable id keeps.
        hubSettings.put("tongxing.audit.replica-id", "crash-hub");
        hubSettings.put("tongxing.audit.sign-every", "200ms");
        // Small journal segments fill, are copied and are written over again many times a run, so
        // kills also land in a recycled segment, whose older records lie behind the new ones.
        hubSettings.put("tongxing.audit.journal.segment-size", "16KB");
        hubSettings.put("logging.level.root", "WARN");
        // Each start says how many records it copied from the journal a killed process left.
        hubSettings.put("logging.level.dev.tongxing.hub.audit.AuditJournal", "INFO");
    }

    @AfterAll
    static void stopProvinces() {
        if (provinces != null) {
            provinces.close();
        }
    }

    @Test
    void everyAnswerReceivedBeforeAKillHasItsRecordAndTheChainVerifies() throws Exception {
        Set<String> answered = ConcurrentHashMap.newKeySet();
        AtomicLong requests = new AtomicLong();
        for (int kill = 1; kill <= KILLS; kill++) {
            HubProcess hub = HubProcess.start(hubSettings, log);
            int before = answered.size();
            try (Load load = new Load(hub.grpcPort(), answered, requests)) {
                load.start();
                // Killed at a random moment once answers flow: mid-batch, mid-flush or between them.
                long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (answered.size() < before + 50 && System.nanoTime() < waitUntil) {
                    Thread.sleep(20);
                }
                Thread.sleep(ThreadLocalRandom.current().nextLong(50, 800));
                hub.kill();
            }
            assertThat(answered.size()).as("answers received before kill " + kill).isGreaterThan(before);
        }

        HubProcess hub = HubProcess.start(hubSettings, log);
        try (HubClient auditor = new HubClient(hub.grpcPort(), TestIssuer.get().token("ministry-auditor", null, Role.AUDITOR))) {
            Set<String> recorded = new HashSet<>();
            Iterator<AuditRecord> records = AuditServiceGrpc.newBlockingStub(auditor.channel()).withCallCredentials(auditor.credentials())
                    .withDeadlineAfter(2, TimeUnit.MINUTES)
                    .queryAudit(AuditQuery.newBuilder().setKind(AuditRecord.Kind.LOOKUP).setActor("checkpoint-xian-north").build());
            records.forEachRemaining(record -> recorded.add(record.getTraceId()));

            assertThat(answered).as("answers received across " + KILLS + " kills").hasSizeGreaterThan(KILLS * 50);
            Set<String> unrecorded = new HashSet<>(answered);
            unrecorded.removeAll(recorded);
            assertThat(unrecorded).as("answers a client received without an audit record").isEmpty();

            VerifyAuditChainResponse verification = AuditServiceGrpc.newBlockingStub(auditor.channel())
                    .withCallCredentials(auditor.credentials()).withDeadlineAfter(2, TimeUnit.MINUTES)
                    .verifyAuditChain(VerifyAuditChainRequest.newBuilder().setReplicaId("crash-hub").build());
            assertThat(verification.getIntact()).as("chain after " + KILLS + " kills: " + verification).isTrue();
            assertThat(verification.getRecordsChecked()).isGreaterThanOrEqualTo(answered.size());
            // With records copied into the store every 500 ms behind the journal, kills land while
            // some are journaled only: the restarts above copied them, and the answers were there.
            assertThat(Files.readAllLines(log)).as("restarts that copied a killed hub's journaled records")
                    .anyMatch(line -> line.contains("a stopped process had not copied into the store"));
        } finally {
            hub.close();
        }

        // The last process was stopped, not killed: it copied its journal into the store and
        // signed the head it ended on, so no tail of its chain is left unsigned until a restart.
        try (Connection store = DriverManager.getConnection("jdbc:sqlite:" + hubSettings.get("tongxing.exchange.store-dir") + "/audit.db");
             Statement query = store.createStatement();
             ResultSet heads = query.executeQuery("SELECT (SELECT MAX(sequence) FROM audit_record WHERE replica_id = 'crash-hub'),"
                     + " (SELECT MAX(sequence) FROM audit_signed_head WHERE replica_id = 'crash-hub')")) {
            heads.next();
            assertThat(heads.getLong(2)).as("newest signed head after a graceful stop, against the newest record").isEqualTo(heads.getLong(1));
        }
        assertThat(Files.readAllLines(log)).as("the stopped hub's log").noneMatch(line -> line.contains("could not sign"));
    }

    /** Lookups kept {@value #IN_FLIGHT} in flight, each with its own request id, noting the ids answered. */
    private static final class Load implements AutoCloseable {

        private final HubClient client;
        private final Set<String> answered;
        private final AtomicLong requests;
        private final Semaphore slots = new Semaphore(IN_FLIGHT);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread sender = Thread.ofPlatform().daemon().name("crash-load").unstarted(this::send);

        Load(int port, Set<String> answered, AtomicLong requests) {
            this.client = new HubClient(port);
            this.answered = answered;
            this.requests = requests;
        }

        void start() {
            sender.start();
        }

        private void send() {
            while (running.get()) {
                try {
                    if (!slots.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                String requestId = "crash-" + requests.incrementAndGet();
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER), requestId);
                SimulatedTraveler traveler = POPULATION.all().get(ThreadLocalRandom.current().nextInt(POPULATION.all().size()));
                client.async().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getStatus(GetStatusRequest.newBuilder().setTraveler(HubClient.residentKey(traveler.residentId(), traveler.phone())).build(),
                                new StreamObserver<>() {
                                    @Override
                                    public void onNext(TravelerStatus status) {
                                        answered.add(requestId);
                                    }

                                    @Override
                                    public void onError(Throwable failure) {
                                        slots.release();
                                    }

                                    @Override
                                    public void onCompleted() {
                                        slots.release();
                                    }
                                });
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            sender.join(5_000);
            client.close();
        }
    }
}
