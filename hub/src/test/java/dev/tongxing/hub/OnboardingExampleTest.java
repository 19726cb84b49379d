package dev.tongxing.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.simulators.SimulatedPopulation;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The README's onboarding example: one YAML file, no code, and Gansu's residents are recognized. */
@SpringBootTest(properties = {"tongxing.grpc.port=0", "spring.config.additional-location=file:../deploy/examples/onboard-gansu.yml"})
class OnboardingExampleTest {

    @DynamicPropertySource
    static void freeDemoPort(DynamicPropertyRegistry registry) {
        FreePorts.demoOnFreePorts(registry);
        TestIssuer.register(registry);
    }

    @Autowired
    GrpcServer server;

    @Test
    void aProvinceOfAnExistingFamilyIsOnboardedByConfigurationAlone() throws InterruptedException {
        var gansu = SimulatedPopulation.resident("62", 0);
        var shaanxi = SimulatedPopulation.traveler(0);
        try (HubClient hub = new HubClient(server.port())) {
            var status = hub.status(gansu.residentId(), gansu.phone());
            assertThat(status.getHealthCode().getProvenance().getSourceId()).isEqualTo("gansu-jkm");
            assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
            assertThat(status.getHealthCode().getIssuingProvince()).isEqualTo("62");
            assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);

            // The provinces configured before are untouched.
            assertThat(hub.status(shaanxi.residentId(), shaanxi.phone()).getHealthCode().getProvenance().getSourceId()).isEqualTo("shaanxi-ymt");
        }
    }
}
