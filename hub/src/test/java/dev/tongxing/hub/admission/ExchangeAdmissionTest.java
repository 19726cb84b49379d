package dev.tongxing.hub.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.api.v1.ProvinceExchangeGrpc;
import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.hub.security.Role;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.api.v1.SubscribeRequest;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.simulators.SimulatedPopulation;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Idle {@code SubscribeStatusChanges} streams, thousands of them from one client, against a hub
 * that serves eight calls at once: they are admitted from the exchange streams' own budget up to
 * the per-peer cap and refused beyond it, and checkpoint scans keep being answered throughout.
 * No source is reachable, so a scan answers at once with its components UNAVAILABLE.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "tongxing.grpc.port=0",
        "tongxing.grpc.max-connection-idle=1s",
        "tongxing.admission.max-in-flight=8",
        "tongxing.admission.pushback=400ms",
        "tongxing.admission.max-streams=64",
        "tongxing.admission.max-streams-per-peer=" + ExchangeAdmissionTest.PER_PEER,
})
class ExchangeAdmissionTest {

    static final int PER_PEER = 20;
    private static final Metadata.Key<String> PUSHBACK = Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

    @DynamicPropertySource
    static void unreachableSources(DynamicPropertyRegistry registry) {
        int nobody = FreePorts.next();
        registry.add("tongxing.demo.port", () -> nobody);
        registry.add("tongxing.demo.grpc-port", () -> nobody);
        FreePorts.ownStore(registry);
        TestIssuer.register(registry);
    }

    @Autowired
    GrpcServer server;

    @Autowired
    AdmissionController admission;

    /** Every stream as Shaanxi's system: one peer, so the per-peer cap applies to all of them. */
    static final io.grpc.CallCredentials SHAANXI = TestIssuer.bearer(TestIssuer.get().token("shaanxi-system", "61", Role.PROVINCE_SYSTEM));

    private static CompletableFuture<Status> subscribe(ManagedChannel channel) {
        CompletableFuture<Status> ended = new CompletableFuture<>();
        ProvinceExchangeGrpc.newStub(channel).withCallCredentials(SHAANXI).subscribeStatusChanges(SubscribeRequest.newBuilder().setProvince("61").build(),
                new StreamObserver<>() {
                    @Override public void onNext(ChangeNotice change) { }
                    @Override public void onError(Throwable t) { ended.complete(Status.fromThrowable(t).augmentDescription(
                            "pushback=" + Status.trailersFromThrowable(t).get(PUSHBACK))); }
                    @Override public void onCompleted() { ended.complete(Status.OK); }
                });
        return ended;
    }

    @Test
    void twoThousandIdleSubscriptionsNeitherStopScansNorExceedThePerPeerCap() throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build());
        }
        try (HubClient checkpoint = new HubClient(server.port())) {
            List<CompletableFuture<Status>> subscriptions = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                subscriptions.add(subscribe(channels.get(i % channels.size())));
            }

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> subscriptions.stream().filter(CompletableFuture::isDone).count() == 2_000 - PER_PEER);
            for (CompletableFuture<Status> refused : subscriptions.stream().filter(CompletableFuture::isDone).toList()) {
                Status status = refused.get();
                assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(status.getDescription())
                        .startsWith("this caller already holds " + PER_PEER + " exchange streams")
                        .contains("tongxing.admission.max-streams-per-peer")
                        .endsWith("pushback=400");
            }
            assertThat(admission.streams()).isEqualTo(PER_PEER);
            assertThat(admission.inFlight()).as("exchange streams take no scan slots").isZero();

            // With more idle streams open than the hub serves calls at once, checkpoints are still answered.
            for (int i = 0; i < 20; i++) {
                var t = SimulatedPopulation.traveler(i);
                TravelerStatus status = checkpoint.status(t.residentId(), t.phone());
                assertThat(status.hasVerdict()).isTrue();
            }
            assertThat(subscriptions.stream().filter(CompletableFuture::isDone).count()).as("admitted streams stay open")
                    .isEqualTo(2_000 - PER_PEER);
        } finally {
            for (ManagedChannel channel : channels) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> admission.streams() == 0);
    }

    @Test
    void aConnectionWithoutCallsIsClosedAfterMaxConnectionIdle() throws Exception {
        try (HubClient checkpoint = new HubClient(server.port())) {
            var t = SimulatedPopulation.traveler(0);
            assertThat(checkpoint.status(t.residentId(), t.phone()).hasVerdict()).isTrue();
            assertThat(checkpoint.channel().getState(false)).isEqualTo(ConnectivityState.READY);
            // The hub closes the idle connection (GOAWAY); the channel falls back to IDLE and reconnects on demand.
            await().atMost(Duration.ofSeconds(10)).until(() -> checkpoint.channel().getState(false) == ConnectivityState.IDLE);
            assertThat(checkpoint.status(t.residentId(), t.phone()).hasVerdict()).isTrue();
        }
    }
}
