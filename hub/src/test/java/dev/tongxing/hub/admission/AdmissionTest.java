package dev.tongxing.hub.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.AuditStoreSql;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.hub.support.Simulators;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.simulators.SimulatedPopulation;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Flooding the hub past its limit: the excess is refused at once with RESOURCE_EXHAUSTED and a
 * retry pushback, manifests cannot take the room reserved for scans, and scans keep being served.
 * The simulated sources answer slowly (300 ms) so that calls stay in flight.
 */
@SpringBootTest(properties = {
        "tongxing.grpc.port=0",
        "tongxing.admission.max-in-flight=8",
        "tongxing.admission.manifest-share=0.5",
        "tongxing.admission.pushback=400ms",
        "tongxing.demo.min-latency=300ms",
        "tongxing.demo.max-latency=300ms",
})
@Import(Simulators.class)
class AdmissionTest {

    private static final Metadata.Key<String> PUSHBACK = Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

    @DynamicPropertySource
    static void freeDemoPort(DynamicPropertyRegistry registry) {
        FreePorts.demoOnFreePorts(registry);
        TestIssuer.register(registry);
    }

    @Autowired
    GrpcServer server;

    @Autowired
    AdmissionController admission;

    @Autowired
    Environment environment;

    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

    private static int nextTraveler = 5_000;

    private static synchronized GetStatusRequest scan() {
        var t = SimulatedPopulation.traveler(nextTraveler++);
        return GetStatusRequest.newBuilder().setTraveler(HubClient.residentKey(t.residentId(), t.phone())).build();
    }

    /** Opens a manifest stream and keeps it open; returns how it ended, once it does. */
    private static CompletableFuture<Status> openManifest(HubClient hub, AtomicReference<StreamObserver<CheckBatchRequest>> sender) {
        CompletableFuture<Status> ended = new CompletableFuture<>();
        sender.set(hub.async().checkBatch(new StreamObserver<>() {
            @Override public void onNext(CheckBatchResult result) { }
            @Override public void onError(Throwable t) { ended.complete(Status.fromThrowable(t)); }
            @Override public void onCompleted() { ended.complete(Status.OK); }
        }));
        return ended;
    }

    @Test
    void manifestsStopAtTheirShareAndScansKeepBeingServed() throws Exception {
        try (HubClient hub = new HubClient(server.port())) {
            hub.status(SimulatedPopulation.traveler(0).residentId(), SimulatedPopulation.traveler(0).phone()); // connect

            List<AtomicReference<StreamObserver<CheckBatchRequest>>> senders = new ArrayList<>();
            List<CompletableFuture<Status>> manifests = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                AtomicReference<StreamObserver<CheckBatchRequest>> sender = new AtomicReference<>();
                senders.add(sender);
                manifests.add(openManifest(hub, sender));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> manifests.stream().filter(CompletableFuture::isDone).count() == 6);
            for (CompletableFuture<Status> refused : manifests.stream().filter(CompletableFuture::isDone).toList()) {
                assertThat(refused.get().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(refused.get().getDescription()).isEqualTo("hub at capacity for manifest calls; retry after 400 ms");
            }
            assertThat(admission.inFlight()).isEqualTo(4);
            // Each refusal is in the audit log with its reason.
            await().atMost(Duration.ofSeconds(5)).until(() -> AuditStoreSql.of(environment).queryForObject(
                    "SELECT COUNT(*) FROM audit_record WHERE kind = 'REFUSAL' AND verdict = 'RESOURCE_EXHAUSTED'"
                            + " AND method = 'tongxing.v1.TravelerStatusService/CheckBatch'"
                            + " AND reason = 'hub at capacity for manifest calls; retry after 400 ms'", Integer.class) >= 6);

            // Half the hub is held by manifests, yet four scans at a time are still served.
            List<CompletableFuture<TravelerStatus>> scans = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                GetStatusRequest request = scan();
                scans.add(CompletableFuture.supplyAsync(() -> hub.blocking().getStatus(request), callers));
            }
            for (CompletableFuture<TravelerStatus> served : scans) {
                assertThat(served.get(5, TimeUnit.SECONDS).hasVerdict()).isTrue();
            }

            for (AtomicReference<StreamObserver<CheckBatchRequest>> sender : senders) {
                try {
                    sender.get().onCompleted();
                } catch (IllegalStateException alreadyClosed) {
                    // the refused ones
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> admission.inFlight() == 0);
        }
    }

    @Test
    void aFloodOfScansGetsPushbackForTheExcess() throws Exception {
        try (HubClient hub = new HubClient(server.port())) {
            hub.status(SimulatedPopulation.traveler(0).residentId(), SimulatedPopulation.traveler(0).phone()); // connect

            List<CompletableFuture<Object>> flood = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                GetStatusRequest request = scan();
                flood.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return hub.blocking().getStatus(request);
                    } catch (StatusRuntimeException e) {
                        return e;
                    }
                }, callers));
            }
            int served = 0;
            int refused = 0;
            for (CompletableFuture<Object> call : flood) {
                Object outcome = call.get(10, TimeUnit.SECONDS);
                if (outcome instanceof StatusRuntimeException e) {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getTrailers().get(PUSHBACK)).isEqualTo("400");
                    refused++;
                } else {
                    served++;
                }
            }
            assertThat(served).isGreaterThanOrEqualTo(8);
            assertThat(refused).isPositive();
            assertThat(served + refused).isEqualTo(30);
            await().atMost(Duration.ofSeconds(5)).until(() -> admission.inFlight() == 0);
        }
    }
}
