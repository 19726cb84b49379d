package dev.tongxing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.Verdict;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI through a hub replica that drains: a scan refused with UNAVAILABLE is retried by the
 * channel's policy, and a manifest stream ended with UNAVAILABLE is continued on a new stream with
 * only the entries still unanswered. A real gRPC server on loopback stands in for the hub.
 */
class ReplicaFailoverCliTest {

    private final AtomicInteger scans = new AtomicInteger();
    private final AtomicInteger streams = new AtomicInteger();
    private final List<List<String>> entriesPerStream = new CopyOnWriteArrayList<>();
    private Server hub;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.shutdownNow();
        }
    }

    private void start() throws Exception {
        hub = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new TravelerStatusServiceGrpc.TravelerStatusServiceImplBase() {
                    @Override
                    public void getStatus(GetStatusRequest request, StreamObserver<TravelerStatus> response) {
                        if (scans.incrementAndGet() == 1) {
                            response.onError(Status.UNAVAILABLE.withDescription("hub replica shut down before this call finished; retry it").asRuntimeException());
                            return;
                        }
                        response.onNext(answer());
                        response.onCompleted();
                    }

                    /** The first stream answers two entries, then drains; later streams answer everything. */
                    @Override
                    public StreamObserver<CheckBatchRequest> checkBatch(StreamObserver<CheckBatchResult> results) {
                        int stream = streams.incrementAndGet();
                        List<String> taken = new CopyOnWriteArrayList<>();
                        entriesPerStream.add(taken);
                        return new StreamObserver<>() {
                            private boolean ended;

                            @Override
                            public void onNext(CheckBatchRequest entry) {
                                if (ended) {
                                    return;
                                }
                                taken.add(entry.getEntryId());
                                if (stream == 1 && taken.size() > 2) {
                                    ended = true;
                                    results.onError(Status.UNAVAILABLE.withDescription("hub replica shutting down; send those without an answer on a new stream")
                                            .asRuntimeException());
                                    return;
                                }
                                results.onNext(CheckBatchResult.newBuilder().setEntryId(entry.getEntryId()).setStatus(answer()).build());
                            }

                            @Override
                            public void onError(Throwable t) {
                            }

                            @Override
                            public void onCompleted() {
                                if (!ended) {
                                    results.onCompleted();
                                }
                            }
                        };
                    }
                })
                .build().start();
    }

    private static TravelerStatus answer() {
        return TravelerStatus.newBuilder().setVerdict(Verdict.newBuilder().setDecision(Verdict.Decision.PASS)).build();
    }

    private int run(StringWriter out, StringWriter err, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--hub", "127.0.0.1:" + hub.getPort(), "--token", "cli-test-token"));
        all.addAll(List.of(args));
        return TongxingCli.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    }

    @Test
    void aScanRefusedWithUnavailableIsRetried() throws Exception {
        start();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(run(out, err, "status", "--resident-id", "610102196001011000")).as(err::toString).isZero();
        assertThat(scans.get()).isEqualTo(2);
        assertThat(out.toString()).contains("PASS");
    }

    @Test
    void aManifestCutByADrainingReplicaIsFinishedOnANewStreamEachEntryOnce() throws Exception {
        start();
        Path manifest = dir.resolve("manifest.csv");
        Files.writeString(manifest, """
                # entry,document_type,number,phone,province
                A1,RESIDENT_ID,610102196001011000,13800000000,61
                A2,RESIDENT_ID,610103196001011138,13800000001,61
                A3,RESIDENT_ID,610104196001011265,13800000002,61
                A4,RESIDENT_ID,610102196001011000,,61
                A5,RESIDENT_ID,610103196001011138,,61
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(run(out, err, "manifest", manifest.toString())).as(err::toString).isZero();

        assertThat(entriesPerStream).hasSize(2);
        assertThat(entriesPerStream.get(1)).containsExactly("A3", "A4", "A5");
        List<String> printed = out.toString().lines().map(line -> line.split("\\s+")[0]).toList();
        assertThat(printed).containsExactlyInAnyOrder("A1", "A2", "A3", "A4", "A5");
        assertThat(err.toString()).contains("sending the 3 entries without an answer on a new stream");
    }
}
