package dev.tongxing.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.TestIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With ops-token-required, metrics answer operators and auditors only; liveness stays open. */
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tongxing.grpc.port=0", "tongxing.security.ops-token-required=true"})
class OpsTokenTest {

    @DynamicPropertySource
    static void demoAndIssuer(DynamicPropertyRegistry registry) {
        FreePorts.demoOnFreePorts(registry);
        TestIssuer.register(registry);
    }

    @LocalServerPort
    int port;

    @Test
    void metricsNeedAnOperatorToken() throws Exception {
        TestIssuer issuer = TestIssuer.get();
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", "not-a-token").statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", issuer.checkpointToken()).statusCode()).isEqualTo(403);
        HttpResponse<String> metrics = get("/actuator/prometheus", issuer.token("hub-operator", null, Role.OPERATOR));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("tongxing_");
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
