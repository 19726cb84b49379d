package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.AuditQuery;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.ChangeAck;
import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.ProvinceExchangeGrpc;
import dev.tongxing.api.v1.StatusChange;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyAuditChainResponse;
import dev.tongxing.hub.TongxingHub;
import dev.tongxing.hub.exchange.TravelerPseudonyms;
import dev.tongxing.hub.security.Caller;
import dev.tongxing.hub.security.Role;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.AuditStoreSql;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.hub.support.Simulators;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedTraveler;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The audit log end to end over real gRPC on loopback, against the demo sources: what each kind
 * of call records, that answers wait for their record and fail closed without it, and that the
 * ministry can query and verify it. Callers authenticate with tokens from the {@link TestIssuer}.
 */
@SpringBootTest(classes = {TongxingHub.class, Simulators.class},
        properties = {"tongxing.grpc.port=0", "tongxing.audit.replica-id=audit-test"})
@ExtendWith(OutputCaptureExtension.class)
class AuditLogTest {

    static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);

    @DynamicPropertySource
    static void demo(DynamicPropertyRegistry registry) {
        FreePorts.demoOnFreePorts(registry);
        TestIssuer.register(registry);
    }

    @Autowired GrpcServer server;
    @Autowired TravelerPseudonyms pseudonyms;
    @Autowired Environment environment;
    @Autowired ChainHeadSigner signer;
    @Autowired AuditWriter writer;
    @Value("${tongxing.audit.journal.dir}") String journalDir;

    HubClient hub;

    @BeforeEach
    void connect() {
        hub = new HubClient(server.port());
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        hub.close();
    }

    TravelerStatusServiceGrpc.TravelerStatusServiceBlockingStub as(String client, String requestId) {
        Metadata headers = new Metadata();
        if (requestId != null) {
            headers.put(REQUEST_ID, requestId);
        }
        return hub.blocking().withCallCredentials(checkpoint(client)).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** A checkpoint of province 61 named {@code client}. */
    static io.grpc.CallCredentials checkpoint(String client) {
        return TestIssuer.bearer(TestIssuer.get().token(client, "61", Role.CHECKPOINT));
    }

    AuditServiceGrpc.AuditServiceBlockingStub audit() {
        return AuditServiceGrpc.newBlockingStub(hub.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withCallCredentials(TestIssuer.bearer(TestIssuer.get().token("ministry-auditor", null, Role.AUDITOR)));
    }

    List<AuditRecord> query(AuditQuery query) {
        List<AuditRecord> records = new ArrayList<>();
        audit().queryAudit(query).forEachRemaining(records::add);
        return records;
    }

    String pseudonymOf(SimulatedTraveler traveler) {
        return pseudonyms.of(new SourceQuery(DocumentType.RESIDENT_ID, traveler.residentId(), "", "61"));
    }

    @Test
    void aLookupRecordsWhoAskedAboutWhomThroughWhichSourcesAndWhatWasAnswered() {
        SimulatedTraveler traveler = SimulatedPopulation.traveler(0);
        as("xian-gate-1", "req-lookup-1").getStatus(GetStatusRequest.newBuilder()
                .setTraveler(HubClient.residentKey(traveler.residentId(), traveler.phone())).build());

        List<AuditRecord> records = query(AuditQuery.newBuilder()
                .setTraveler(TravelerKey.newBuilder().setDocumentType(DocumentType.RESIDENT_ID).setDocumentNumber(traveler.residentId()))
                .setActor("xian-gate-1").build());
        assertThat(records).hasSize(1);
        AuditRecord record = records.get(0);
        assertThat(record.getKind()).isEqualTo(AuditRecord.Kind.LOOKUP);
        assertThat(record.getMethod()).isEqualTo("tongxing.v1.TravelerStatusService/GetStatus");
        assertThat(record.getReplicaId()).isEqualTo("audit-test");
        assertThat(record.getCallerRolesList()).containsExactly("checkpoint");
        assertThat(record.getCallerProvince()).isEqualTo("61");
        assertThat(record.getTravelerPseudonym()).isEqualTo(pseudonymOf(traveler));
        assertThat(record.getTravelerProvince()).isEqualTo("61");
        assertThat(record.getMaskedName()).isEqualTo(traveler.maskedName());
        assertThat(record.getSourcesList()).containsExactly("shaanxi-ymt", "travel-card");
        assertThat(record.getProvenanceList()).contains("health_code=LIVE:shaanxi-ymt age=0s", "travel_card=LIVE:travel-card age=0s");
        assertThat(record.getSummary()).contains("health_code=GREEN");
        assertThat(record.getVerdict()).isEqualTo("PASS");
        assertThat(record.getTraceId()).isEqualTo("req-lookup-1");
        assertThat(record.getPersonalDigest()).hasSize(64);
        assertThat(record.getHash()).hasSize(64).isNotEqualTo(record.getPreviousHash());

        // Asked again, the cache answers, and the record says how fresh it was.
        as("xian-gate-1", null).getStatus(GetStatusRequest.newBuilder()
                .setTraveler(HubClient.residentKey(traveler.residentId(), traveler.phone())).build());
        AuditRecord cached = query(AuditQuery.newBuilder().setTravelerPseudonym(pseudonymOf(traveler)).setActor("xian-gate-1").build()).get(1);
        assertThat(cached.getProvenanceList()).anySatisfy(line -> assertThat(line).matches("health_code=CACHED:shaanxi-ymt age=\\d+s"));
        assertThat(cached.getTraceId()).matches("[0-9a-f]{32}");
    }

    @Test
    void aCallWithoutATokenIsRefusedAndRecordedAsUnauthenticated() {
        SimulatedTraveler traveler = SimulatedPopulation.traveler(1);
        assertThatThrownBy(() -> TravelerStatusServiceGrpc.newBlockingStub(hub.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.newBuilder().setTraveler(HubClient.residentKey(traveler.residentId(), traveler.phone())).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED));
        List<AuditRecord> records = query(AuditQuery.newBuilder().setKind(AuditRecord.Kind.REFUSAL).setActor(AuditActor.UNAUTHENTICATED).build());
        assertThat(records).anySatisfy(record -> {
            assertThat(record.getVerdict()).isEqualTo("UNAUTHENTICATED");
            assertThat(record.getCallerRolesList()).isEmpty();
            assertThat(record.getTravelerPseudonym()).isEmpty();
        });
    }

    @Test
    void anInvalidRequestIsRecordedAsARefusalWithItsReason() {
        assertThatThrownBy(() -> as("bad-gate", "req-bad-1").getStatus(GetStatusRequest.newBuilder()
                .setTraveler(HubClient.residentKey("610102196001011001", "")).build()))
                .isInstanceOf(StatusRuntimeException.class)
                .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        List<AuditRecord> records = query(AuditQuery.newBuilder().setActor("bad-gate").setKind(AuditRecord.Kind.REFUSAL).build());
        assertThat(records).hasSize(1);
        assertThat(records.get(0).getVerdict()).isEqualTo("INVALID_ARGUMENT");
        assertThat(records.get(0).getReason()).startsWith("traveler.document_number:");
        assertThat(records.get(0).getTravelerPseudonym()).isEmpty();
        assertThat(records.get(0).getTraceId()).isEqualTo("req-bad-1");
    }

    @Test
    void everyManifestEntryIsRecorded() throws Exception {
        BlockingQueue<Object> results = new LinkedBlockingQueue<>();
        StreamObserver<CheckBatchRequest> entries = hub.async().withCallCredentials(checkpoint("manifest-train-g87"))
                .checkBatch(new StreamObserver<>() {
                    public void onNext(CheckBatchResult result) { results.add(result); }
                    public void onError(Throwable t) { results.add(t); }
                    public void onCompleted() { results.add("done"); }
                });
        for (int i = 2; i < 4; i++) {
            SimulatedTraveler traveler = SimulatedPopulation.traveler(i);
            entries.onNext(CheckBatchRequest.newBuilder().setEntryId("seat-" + i)
                    .setTraveler(HubClient.residentKey(traveler.residentId(), traveler.phone())).build());
        }
        entries.onNext(CheckBatchRequest.newBuilder().setEntryId("seat-x").setTraveler(TravelerKey.getDefaultInstance()).build());
        entries.onCompleted();
        for (int i = 0; i < 3; i++) {
            assertThat(results.poll(10, TimeUnit.SECONDS)).isInstanceOf(CheckBatchResult.class);
        }
        assertThat(results.poll(10, TimeUnit.SECONDS)).isEqualTo("done");

        List<AuditRecord> records = query(AuditQuery.newBuilder().setActor("manifest-train-g87").build());
        assertThat(records).extracting(AuditRecord::getKind)
                .containsExactlyInAnyOrder(AuditRecord.Kind.BATCH_ENTRY, AuditRecord.Kind.BATCH_ENTRY, AuditRecord.Kind.REFUSAL);
        assertThat(records).extracting(AuditRecord::getMethod).containsOnly("tongxing.v1.TravelerStatusService/CheckBatch");
    }

    @Test
    void everyStatusChangeOutcomeIsRecordedBeforeItsAck() throws Exception {
        SimulatedTraveler traveler = SimulatedPopulation.traveler(4);
        StatusChange change = StatusChange.newBuilder().setChangeId("audit-" + UUID.randomUUID())
                .setTraveler(TravelerKey.newBuilder().setDocumentType(DocumentType.RESIDENT_ID).setDocumentNumber(traveler.residentId()))
                .setVersion(1).setColour(HealthCodeColour.YELLOW).setReason("close contact").setProvince("61").build();
        StatusChange rejected = change.toBuilder().setChangeId("audit-bad-" + UUID.randomUUID()).setProvince("44").build();
        BlockingQueue<Object> acks = new LinkedBlockingQueue<>();
        StreamObserver<StatusChange> changes = ProvinceExchangeGrpc.newStub(hub.channel())
                .withCallCredentials(TestIssuer.bearer(TestIssuer.get().token("shaanxi-province-system", "61", Role.PROVINCE_SYSTEM)))
                .publishStatusChanges(new StreamObserver<>() {
                    public void onNext(ChangeAck ack) { acks.add(ack); }
                    public void onError(Throwable t) { acks.add(t); }
                    public void onCompleted() { acks.add("done"); }
                });
        List<ChangeAck.Outcome> outcomes = new ArrayList<>();
        for (StatusChange sent : List.of(change, change, rejected)) {
            changes.onNext(sent);
            outcomes.add(((ChangeAck) acks.poll(10, TimeUnit.SECONDS)).getOutcome());
        }
        changes.onCompleted();
        assertThat(outcomes).containsExactly(ChangeAck.Outcome.APPLIED, ChangeAck.Outcome.DUPLICATE, ChangeAck.Outcome.DENIED);

        List<AuditRecord> records = query(AuditQuery.newBuilder().setActor("shaanxi-province-system")
                .setKind(AuditRecord.Kind.STATUS_CHANGE).build());
        assertThat(records).extracting(AuditRecord::getVerdict).containsExactly("APPLIED", "DUPLICATE", "DENIED");
        assertThat(records.get(0).getTravelerPseudonym()).isEqualTo(pseudonymOf(traveler));
        assertThat(records.get(0).getSummary()).contains("version=1", "colour=YELLOW");
        assertThat(records.get(2).getReason()).startsWith("province:");
    }

    @Test
    void withoutAWorkingAuditWriterNoAnswerIsGiven() {
        SimulatedTraveler traveler = SimulatedPopulation.traveler(5);
        writer.stop();
        try {
            assertThatThrownBy(() -> hub.status(traveler.residentId(), traveler.phone()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).isEqualTo("audit store unavailable");
                    });
        } finally {
            writer.start();
        }
        assertThat(hub.status(traveler.residentId(), traveler.phone()).getMaskedName()).isEqualTo(traveler.maskedName());
        assertIntact();
    }

    @Test
    void withTheSqlStoreDownAnswersAreJournaledAndStoredWhenItReturns() {
        SimulatedTraveler traveler = SimulatedPopulation.traveler(6);
        JdbcTemplate jdbc = AuditStoreSql.of(environment);
        jdbc.execute("ALTER TABLE audit_record RENAME TO audit_record_away");
        try {
            as("outage-gate", null).getStatus(GetStatusRequest.newBuilder()
                    .setTraveler(HubClient.residentKey(traveler.residentId(), traveler.phone())).build());
            assertThat(writer.copyBacklog()).isPositive();
        } finally {
            jdbc.execute("ALTER TABLE audit_record_away RENAME TO audit_record");
        }
        assertThat(query(AuditQuery.newBuilder().setActor("outage-gate").build()))
                .singleElement().satisfies(record -> assertThat(record.getVerdict()).isNotEmpty());
        assertIntact();
    }

    @Test
    void queriesResumeFromTheLastTokenAndTheChainVerifies() {
        for (int i = 10; i < 15; i++) {
            SimulatedTraveler traveler = SimulatedPopulation.traveler(i);
            as("paging-gate", null).getStatus(GetStatusRequest.newBuilder()
                    .setTraveler(HubClient.residentKey(traveler.residentId(), traveler.phone())).build());
        }
        AuditQuery base = AuditQuery.newBuilder().setActor("paging-gate").setPageSize(2).build();
        List<AuditRecord> all = new ArrayList<>();
        String token = "";
        while (true) {
            List<AuditRecord> page = query(base.toBuilder().setPageToken(token).build());
            all.addAll(page);
            if (page.size() < 2) {
                break;
            }
            token = page.get(page.size() - 1).getNextPageToken();
        }
        assertThat(all).hasSize(5);
        assertThat(all).extracting(AuditRecord::getSequence).isSorted().doesNotHaveDuplicates();
        assertThat(query(base.toBuilder().setPageSize(0).build())).extracting(AuditRecord::getSequence)
                .isEqualTo(all.stream().map(AuditRecord::getSequence).toList());
        assertThatThrownBy(() -> query(base.toBuilder().setPageToken("not-a-token").build()))
                .hasMessageContaining("page_token");
        assertIntact();
    }

    @Test
    void noRawDocumentOrPhoneNumberIsStoredOrLogged(CapturedOutput output) throws IOException {
        List<SimulatedTraveler> travelers = List.of(SimulatedPopulation.traveler(20), SimulatedPopulation.traveler(21));
        for (SimulatedTraveler traveler : travelers) {
            as("privacy-gate", null).getStatus(GetStatusRequest.newBuilder()
                    .setTraveler(HubClient.residentKey(traveler.residentId(), traveler.phone())).build());
            // A refused one too: the number is valid, the phone is not.
            assertThatThrownBy(() -> as("privacy-gate", null).getStatus(GetStatusRequest.newBuilder()
                    .setTraveler(HubClient.residentKey(traveler.residentId(), "1" + traveler.phone())).build()));
        }
        assertThat(writer.awaitStored(Duration.ofSeconds(10))).isTrue();
        List<String> stored = new ArrayList<>();
        for (Map<String, Object> row : AuditStoreSql.of(environment).queryForList("SELECT * FROM audit_record")) {
            stored.add(row.values().toString());
        }
        // The journal holds the same records before the store does: scanned as raw bytes.
        try (Stream<Path> journal = Files.list(Path.of(journalDir))) {
            for (Path segment : journal.toList()) {
                stored.add(new String(Files.readAllBytes(segment), StandardCharsets.ISO_8859_1));
            }
        }
        String everything = String.join("\n", stored) + "\n" + output.getAll();
        for (int i = 0; i < 25; i++) {
            SimulatedTraveler traveler = SimulatedPopulation.traveler(i);
            assertThat(everything).doesNotContain(traveler.residentId()).doesNotContain(traveler.phone());
        }
        assertThat(query(AuditQuery.newBuilder().setActor("privacy-gate").build())).hasSize(4);
    }

    void assertIntact() {
        signer.signNow();
        VerifyAuditChainResponse verified = audit().verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
        assertThat(verified.getIntact()).as(verified.getDetail()).isTrue();
        assertThat(verified.getReplicasList()).anySatisfy(chain -> {
            assertThat(chain.getReplicaId()).isEqualTo("audit-test");
            assertThat(chain.getLastSignedSequence()).isEqualTo(chain.getLastSequence()).isPositive();
        });
    }
}
