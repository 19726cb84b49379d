package dev.tongxing.hub.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.hub.support.TestIssuer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * CheckBatch over a real loopback channel: the hub takes entries only as fast as the caller reads
 * results, refuses a repeated entry_id, and ends a stream that exceeds its entry cap cleanly.
 * Entries carry an invalid traveler key, so they are answered without asking any source: what is
 * measured is the stream, not the provinces.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "tongxing.grpc.port=0",
        // Thousands of entries in a moment from one checkpoint: above its per-caller limit otherwise.
        "tongxing.security.caller-limits.per-client.checkpoint-xian-north=1000000",
        "tongxing.manifest.max-entries=" + ManifestStreamTest.MAX_ENTRIES,
})
class ManifestStreamTest {

    static final int MAX_ENTRIES = 6_000;

    @DynamicPropertySource
    static void ownStore(DynamicPropertyRegistry registry) {
        FreePorts.ownStore(registry);
        TestIssuer.register(registry);
    }

    @Autowired
    GrpcServer server;

    @Autowired
    MeterRegistry meters;

    private double taken() {
        return meters.get("tongxing.manifest.entries").counter().count();
    }

    private static CheckBatchRequest entry(String id) {
        return CheckBatchRequest.newBuilder().setEntryId(id).setTraveler(HubClient.residentKey("123", "")).build();
    }

    /** A manifest stream whose caller reads results only when told to. */
    private static final class Manifest implements ClientResponseObserver<CheckBatchRequest, CheckBatchResult> {
        final List<CheckBatchResult> results = new CopyOnWriteArrayList<>();
        final CompletableFuture<Status> closed = new CompletableFuture<>();
        final AtomicReference<ClientCallStreamObserver<CheckBatchRequest>> call = new AtomicReference<>();
        private final int initialReads;

        Manifest(int initialReads) {
            this.initialReads = initialReads;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<CheckBatchRequest> requests) {
            requests.disableAutoRequestWithInitial(initialReads);
            call.set(requests);
        }

        @Override public void onNext(CheckBatchResult result) { results.add(result); }
        @Override public void onError(Throwable t) { closed.complete(Status.fromThrowable(t)); }
        @Override public void onCompleted() { closed.complete(Status.OK); }

        Map<String, CheckBatchResult> byEntry() {
            return results.stream().collect(Collectors.toMap(CheckBatchResult::getEntryId, Function.identity(), (a, b) -> a));
        }
    }

    @Test
    void aCallerThatSendsButNeverReadsCannotMakeTheHubTakeItsManifest() throws Exception {
        int sent = 5_000;
        // A small receive window, as a slow or hostile client would have: the hub's results back up quickly.
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
                .flowControlWindow(16 * 1024).build();
        try {
            double before = taken();
            Manifest manifest = new Manifest(0);
            StreamObserver<CheckBatchRequest> requests = TravelerStatusServiceGrpc.newStub(channel)
                    .withCallCredentials(TestIssuer.bearer(TestIssuer.get().checkpointToken())).checkBatch(manifest);
            for (int i = 0; i < sent; i++) {
                requests.onNext(entry("seat-" + i));
            }
            requests.onCompleted();

            double settled = settledCount(before);
            assertThat(settled).as("entries the hub took while the caller read nothing").isPositive().isLessThan(1_500);
            assertThat(manifest.results).isEmpty();

            // Once the caller reads, the hub resumes and answers every entry.
            manifest.call.get().request(Integer.MAX_VALUE);
            assertThat(manifest.closed.get(20, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
            assertThat(manifest.byEntry()).hasSize(sent);
            assertThat(taken() - before).isEqualTo(sent);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Waits until the hub stops taking entries, and returns how many it took. */
    private double settledCount(double before) {
        double[] last = {-1};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
            double now = taken() - before;
            boolean settled = now > 0 && now == last[0];
            last[0] = now;
            return settled;
        });
        return last[0];
    }

    @Test
    void aRepeatedEntryIdIsAnEntryErrorNamingTheField() throws Exception {
        try (HubClient hub = new HubClient(server.port())) {
            Manifest manifest = new Manifest(Integer.MAX_VALUE);
            StreamObserver<CheckBatchRequest> requests = hub.async().checkBatch(manifest);
            requests.onNext(entry("03A"));
            requests.onNext(CheckBatchRequest.newBuilder().setEntryId("03A")
                    .setTraveler(HubClient.residentKey("610102196001011000", "13800000000")).build());
            requests.onNext(entry("x".repeat(129)));
            requests.onCompleted();

            assertThat(manifest.closed.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
            assertThat(manifest.results).hasSize(3);
            List<CheckBatchResult> repeated = manifest.results.stream().filter(r -> r.getEntryId().equals("03A")).toList();
            assertThat(repeated).hasSize(2);
            assertThat(repeated).anySatisfy(r -> {
                assertThat(r.getError().getCode()).isEqualTo("INVALID_ARGUMENT");
                assertThat(r.getError().getMessage()).startsWith("entry_id: repeats an earlier entry")
                        .doesNotContain("610102196001011000").doesNotContain("03A");
            });
            assertThat(manifest.byEntry().get("x".repeat(129)).getError().getMessage()).isEqualTo("entry_id: is longer than 128 characters");
        }
    }

    @Test
    void theEntryPastTheCapIsRefusedAndTheStreamEndsCleanly() throws Exception {
        try (HubClient hub = new HubClient(server.port())) {
            Manifest manifest = new Manifest(Integer.MAX_VALUE);
            StreamObserver<CheckBatchRequest> requests = hub.async().checkBatch(manifest);
            for (int i = 0; i < MAX_ENTRIES + 200; i++) {
                requests.onNext(entry("seat-" + i));
            }
            // The caller never half-closes: the hub ends the stream itself.

            assertThat(manifest.closed.get(30, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
            Map<String, CheckBatchResult> byEntry = manifest.byEntry();
            for (int i = 0; i < MAX_ENTRIES; i++) {
                assertThat(byEntry.get("seat-" + i).getError().getCode()).isEqualTo("INVALID_ARGUMENT");
            }
            CheckBatchResult past = byEntry.get("seat-" + MAX_ENTRIES);
            assertThat(past.getError().getCode()).isEqualTo("RESOURCE_EXHAUSTED");
            assertThat(past.getError().getMessage()).contains("tongxing.manifest.max-entries (" + MAX_ENTRIES + ")");
            assertThat(manifest.results).hasSizeLessThanOrEqualTo(MAX_ENTRIES + TravelerStatusGrpcService.BATCH_WINDOW);
            requests.onCompleted();
        }
    }
}
