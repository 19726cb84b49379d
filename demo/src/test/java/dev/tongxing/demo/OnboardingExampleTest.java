package dev.tongxing.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.hub.TongxingHub;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.simulators.SimulatedPopulation;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The README's onboarding example: one YAML file, no code, and Gansu's residents are recognized. */
@SpringBootTest(classes = {TongxingHub.class, DemoSources.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tongxing.grpc.port=0", "spring.config.additional-location=file:../deploy/examples/onboard-gansu.yml"})
class OnboardingExampleTest {

    @DynamicPropertySource
    static void freeDemoPorts(DynamicPropertyRegistry registry) {
        TestDemo.onFreePorts(registry);
    }

    @Autowired
    GrpcServer server;

    @org.springframework.boot.test.web.server.LocalServerPort
    int opsPort;

    @Test
    void aProvinceOfAnExistingFamilyIsOnboardedByConfigurationAlone() throws InterruptedException {
        var gansu = SimulatedPopulation.resident("62", 0);
        var shaanxi = SimulatedPopulation.traveler(0);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        var token = TestDemo.checkpoint(opsPort);
        try {
            var status = TestDemo.status(channel, token, gansu.residentId(), gansu.phone());
            assertThat(status.getHealthCode().getProvenance().getSourceId()).isEqualTo("gansu-jkm");
            assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
            assertThat(status.getHealthCode().getIssuingProvince()).isEqualTo("62");
            assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);

            // The provinces configured before are untouched.
            assertThat(TestDemo.status(channel, token, shaanxi.residentId(), shaanxi.phone()).getHealthCode().getProvenance().getSourceId())
                    .isEqualTo("shaanxi-ymt");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
