package dev.tongxing.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelCardColour;
import dev.tongxing.api.v1.Verdict.Decision;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.simulators.SimulatedPopulation;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.boot.test.web.server.LocalServerPort;
import com.google.gson.JsonParser;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The README's run command: the hub with its embedded defaults answers at once. */
@SpringBootTest(properties = "tongxing.grpc.port=0", webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DemoModeTest {

    @LocalServerPort
    int opsPort;

    @DynamicPropertySource
    static void freeDemoPort(DynamicPropertyRegistry registry) {
        FreePorts.demoOnFreePorts(registry);
    }

    @Autowired
    GrpcServer server;

    @Test
    void answersTheReadmesSampleCallWithSimulatedSources() throws Exception {
        var green = SimulatedPopulation.traveler(0);
        var red = SimulatedPopulation.traveler(2);
        // As the README's CLI does: a token from the development identity's endpoint on the ops port.
        try (HubClient hub = new HubClient(server.port(), developmentToken("checkpoint-xian-north", "demo-checkpoint-secret"))) {
            var status = hub.status(green.residentId(), green.phone());
            assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
            assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
            assertThat(status.getTravelCard().getColour()).isEqualTo(TravelCardColour.TRAVEL_GREEN);
            assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.PASS);

            var stopped = hub.status(red.residentId(), red.phone());
            assertThat(stopped.getHealthCode().getColour()).isEqualTo(HealthCodeColour.RED);
            assertThat(stopped.getVerdict().getDecision()).isEqualTo(Decision.STOP);

            // Sichuan speaks the hub's own contract over gRPC.
            var sichuan = SimulatedPopulation.resident("51", 0);
            var native_ = hub.status(sichuan.residentId(), sichuan.phone());
            assertThat(native_.getHealthCode().getProvenance().getSourceId()).isEqualTo("sichuan-tfjkt");
            assertThat(native_.getHealthCode().getProvenance().getKind()).as(native_.getHealthCode().getProvenance().getReason())
                    .isEqualTo(Provenance.Kind.LIVE);
            assertThat(native_.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
            assertThat(native_.getHealthCode().getIssuingProvince()).isEqualTo("51");

            var health = HealthGrpc.newBlockingStub(hub.channel()).check(HealthCheckRequest.newBuilder().setService("tongxing.v1.TravelerStatusService").build());
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        }
    }

    @Test
    void developmentIdentityRefusesAWrongSecretAndItsTokensCarryTheirRoles() throws Exception {
        HttpResponse<String> refused = tokenRequest("checkpoint-xian-north", "wrong");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("invalid_client");

        var green = SimulatedPopulation.traveler(0);
        try (HubClient auditor = new HubClient(server.port(), developmentToken("ministry-auditor", "demo-auditor-secret"))) {
            assertThatThrownBy(() -> auditor.status(green.residentId(), green.phone()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        }
    }

    String developmentToken(String client, String secret) throws Exception {
        HttpResponse<String> response = tokenRequest(client, secret);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonParser.parseString(response.body()).getAsJsonObject().get("access_token").getAsString();
    }

    HttpResponse<String> tokenRequest(String client, String secret) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opsPort + "/dev-identity/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + client + "&client_secret=" + secret))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
