package dev.tongxing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.v1.AuditQuery;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.ReplicaChain;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyAuditChainResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code tongxing audit query|verify} against a real gRPC server on loopback standing in for the hub. */
class AuditCliTest {

    private final AtomicReference<AuditQuery> received = new AtomicReference<>();
    private Server hub;

    @BeforeEach
    void startHub() throws Exception {
        hub = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new AuditServiceGrpc.AuditServiceImplBase() {
                    @Override
                    public void queryAudit(AuditQuery query, StreamObserver<AuditRecord> response) {
                        received.set(query);
                        if (query.getActor().equals("denied")) {
                            response.onError(Status.PERMISSION_DENIED.withDescription("needs the auditor role").asRuntimeException());
                            return;
                        }
                        int count = query.getPageSize() == 0 ? 3 : query.getPageSize();
                        for (int i = 1; i <= count; i++) {
                            response.onNext(record(i));
                        }
                        response.onCompleted();
                    }

                    @Override
                    public void verifyAuditChain(VerifyAuditChainRequest request, StreamObserver<VerifyAuditChainResponse> response) {
                        VerifyAuditChainResponse.Builder result = VerifyAuditChainResponse.newBuilder().setRecordsChecked(41)
                                .addReplicas(ReplicaChain.newBuilder().setReplicaId("hub-a").setRecordsChecked(41).setLastSequence(45).setLastSignedSequence(45));
                        if (request.getReplicaId().equals("hub-a")) {
                            result.setIntact(false).setProblem(VerifyAuditChainResponse.Problem.RECORD_MISSING)
                                    .setFirstBrokenReplicaId("hub-a").setFirstBrokenSequence(42).setDetail("record 42 is missing");
                        } else {
                            result.setIntact(true).setProblem(VerifyAuditChainResponse.Problem.NONE);
                        }
                        response.onNext(result.build());
                        response.onCompleted();
                    }
                }).build().start();
    }

    @AfterEach
    void stopHub() {
        hub.shutdownNow();
    }

    static AuditRecord record(int sequence) {
        return AuditRecord.newBuilder().setReplicaId("hub-a").setSequence(sequence).setKind(AuditRecord.Kind.LOOKUP)
                .setAt(Timestamps.fromMillis(1_763_900_000_000L + sequence)).setActor("xian-gate-1").setVerdict("PASS")
                .setTravelerPseudonym("ab".repeat(32)).addSources("shaanxi-ymt").addSources("travel-card")
                .setSummary("health_code=GREEN travel_card=TRAVEL_GREEN").setNextPageToken("token-" + sequence).build();
    }

    private String[] run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] withHub = new String[args.length + 4];
        withHub[0] = "--hub";
        withHub[1] = "127.0.0.1:" + hub.getPort();
        withHub[2] = "--token";
        withHub[3] = "auditor-test-token";
        System.arraycopy(args, 0, withHub, 4, args.length);
        assertThat(TongxingCli.run(new PrintWriter(out), new PrintWriter(err), withHub)).as(err.toString()).isEqualTo(expectedExit);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void queryPassesEveryFilterAndPrintsATable() {
        String[] output = run(0, "audit", "query", "--from", "2026-11-23T08:00:00Z", "--to", "2026-11-24T08:00:00Z",
                "--resident-id", "610102196001011000", "--kind", "LOOKUP", "--actor", "xian-gate-1", "--caller-province", "61",
                "--source", "shaanxi-ymt", "--verdict", "PASS");
        AuditQuery query = received.get();
        assertThat(Timestamps.toString(query.getFrom())).isEqualTo("2026-11-23T08:00:00Z");
        assertThat(Timestamps.toString(query.getTo())).isEqualTo("2026-11-24T08:00:00Z");
        assertThat(query.getTraveler().getDocumentNumber()).isEqualTo("610102196001011000");
        assertThat(query.getKind()).isEqualTo(AuditRecord.Kind.LOOKUP);
        assertThat(query.getActor()).isEqualTo("xian-gate-1");
        assertThat(query.getCallerProvince()).isEqualTo("61");
        assertThat(query.getSourceId()).isEqualTo("shaanxi-ymt");
        assertThat(query.getVerdict()).isEqualTo("PASS");
        assertThat(output[0].lines()).hasSize(4);
        assertThat(output[0].lines().skip(1)).allSatisfy(line -> assertThat(line)
                .contains("hub-a:", "LOOKUP", "xian-gate-1", "PASS", "abababababab..", "shaanxi-ymt,travel-card", "health_code=GREEN"));
        assertThat(output[1]).contains("3 record(s)");
    }

    @Test
    void queryPrintsJsonLinesAndProgressForLongResults() {
        String[] output = run(0, "--json", "audit", "query", "--page-size", "25000");
        assertThat(output[0].lines()).hasSize(25_000).allSatisfy(line -> assertThat(line).startsWith("{\"sequence\":"));
        assertThat(output[0].lines().findFirst().orElseThrow()).contains("\"replicaId\":\"hub-a\"", "\"nextPageToken\":\"token-1\"");
        assertThat(output[1]).contains("10000 records...", "20000 records...", "25000 record(s); more with --page-token token-25000");
    }

    @Test
    void queryReportsTheHubsRefusal() {
        String[] output = run(2, "audit", "query", "--actor", "denied");
        assertThat(output[1]).contains("PERMISSION_DENIED: needs the auditor role");
    }

    @Test
    void verifyExitsZeroWhenIntactAndOneWithTheFirstBrokenRecord() {
        assertThat(run(0, "audit", "verify")[0]).startsWith("INTACT  41 record(s) checked").contains("hub-a", "signed up to 45");
        String[] broken = run(1, "audit", "verify", "--replica", "hub-a");
        assertThat(broken[0]).startsWith("BROKEN  RECORD_MISSING at hub-a:42  record 42 is missing");
        assertThat(run(1, "--json", "audit", "verify", "--replica", "hub-a")[0]).contains("\"firstBrokenSequence\":\"42\"");
    }
}
