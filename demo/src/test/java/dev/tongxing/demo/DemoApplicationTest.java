package dev.tongxing.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.access.AccessToken;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelCardColour;
import dev.tongxing.api.v1.Verdict.Decision;
import dev.tongxing.hub.TongxingHub;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.simulators.SimulatedPopulation;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The README's run command: the demo application answers at once, from simulated systems in their real formats. */
@SpringBootTest(classes = {TongxingHub.class, DemoSources.class}, properties = "tongxing.grpc.port=0",
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoApplicationTest {

    @DynamicPropertySource
    static void freeDemoPorts(DynamicPropertyRegistry registry) {
        TestDemo.onFreePorts(registry);
    }

    @Autowired
    GrpcServer server;

    @org.springframework.boot.test.web.server.LocalServerPort
    int opsPort;

    @Test
    void answersTheReadmesSampleCallWithSimulatedSources() throws InterruptedException {
        var green = SimulatedPopulation.traveler(0);
        var red = SimulatedPopulation.traveler(2);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        // As the README's CLI does: a token from the development identity on the operations port.
        var token = TestDemo.checkpoint(opsPort);
        try {
            var status = TestDemo.status(channel, token, green.residentId(), green.phone());
            assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
            assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
            assertThat(status.getTravelCard().getColour()).isEqualTo(TravelCardColour.TRAVEL_GREEN);
            assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.PASS);

            var stopped = TestDemo.status(channel, token, red.residentId(), red.phone());
            assertThat(stopped.getHealthCode().getColour()).isEqualTo(HealthCodeColour.RED);
            assertThat(stopped.getVerdict().getDecision()).isEqualTo(Decision.STOP);

            // Sichuan speaks the hub's own contract over gRPC.
            var sichuan = SimulatedPopulation.resident("51", 0);
            var native_ = TestDemo.status(channel, token, sichuan.residentId(), sichuan.phone());
            assertThat(native_.getHealthCode().getProvenance().getSourceId()).isEqualTo("sichuan-tfjkt");
            assertThat(native_.getHealthCode().getProvenance().getKind()).as(native_.getHealthCode().getProvenance().getReason())
                    .isEqualTo(Provenance.Kind.LIVE);
            assertThat(native_.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
            assertThat(native_.getHealthCode().getIssuingProvince()).isEqualTo("51");

            var health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder().setService("tongxing.v1.TravelerStatusService").build());
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theDevelopmentIdentityRefusesAWrongSecretAndItsTokensCarryTheirRoles() throws InterruptedException {
        assertThatThrownBy(() -> TestDemo.developmentToken(opsPort, "checkpoint-xian-north", "wrong"))
                .isInstanceOf(AccessToken.TokenUnavailable.class).hasMessageContaining("401");
        var green = SimulatedPopulation.traveler(0);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            var auditor = TestDemo.developmentToken(opsPort, "ministry-auditor", "demo-auditor-secret");
            assertThatThrownBy(() -> TestDemo.status(channel, auditor, green.residentId(), green.phone()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
            assertThatThrownBy(() -> TravelerStatusServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getStatus(GetStatusRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
