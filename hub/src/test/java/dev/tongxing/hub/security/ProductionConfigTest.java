package dev.tongxing.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.hub.TongxingHub;
import dev.tongxing.hub.config.HubProperties;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * deploy/config/application-production.yml, as a deployment runs it: the hub's own defaults plus
 * that file (the demo configuration the other tests import is left out), with example values for
 * its environment. It passes the production refusals; one endpoint left on a demo port does not.
 */
class ProductionConfigTest {

    /** Example values for the environment the production file reads. */
    private static Map<String, String> exampleEnvironment() throws Exception {
        KeyPairGenerator shanghai = KeyPairGenerator.getInstance("EC");
        shanghai.initialize(new ECGenParameterSpec("secp256r1"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TONGXING_PSEUDONYM_KEY", "example-key-from-the-secret-store-0123456789");
        env.put("TONGXING_OIDC_ISSUER", "https://sso.example/realms/tongxing");
        env.put("SHAANXI_YMT_URL", "https://ymt.shaanxi.example/api/v1/query");
        env.put("GUANGDONG_YKM_URL", "https://ykm.guangdong.example/api/v2/healthcode");
        env.put("BEIJING_JKB_URL", "https://jkb.beijing.example/services/query");
        env.put("SHANGHAI_SSM_URL", "https://ssm.shanghai.example/api/v1/code");
        env.put("SHANGHAI_SSM_PUBLIC_KEY", Base64.getEncoder().encodeToString(shanghai.generateKeyPair().getPublic().getEncoded()));
        env.put("SHANGHAI_SSM_KID", "ssm-2026-1");
        env.put("SICHUAN_TFJKT_URL", "grpcs://tfjkt.sichuan.example:443");
        env.put("TRAVEL_CARD_URL", "https://travelcard.example/api/v1/query");
        env.put("TRAVEL_CARD_SMS_URL", "https://sms.carrier.example/api/v1/query");
        // An in-memory database stands in for PostgreSQL.
        env.put("TONGXING_DB_URL", "jdbc:h2:mem:production-config-" + System.nanoTime());
        env.put("TONGXING_DB_USER", "tongxing");
        env.put("TONGXING_DB_PASSWORD", "");
        return env;
    }

    private static ConfigurableApplicationContext start(Map<String, String> env) {
        List<String> args = new ArrayList<>(List.of(
                // Exactly what a deployment reads: the hub's application.yml and the production file.
                "--spring.config.location=classpath:/application.yml,file:../deploy/config/application-production.yml",
                // Free ports, and the gRPC listener on loopback: test traffic stays on this host.
                "--tongxing.grpc.port=0", "--tongxing.grpc.host=127.0.0.1", "--server.port=0"));
        env.forEach((name, value) -> args.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(TongxingHub.class).run(args.toArray(String[]::new));
    }

    @Test
    void theProductionFileWithItsEnvironmentPassesTheRefusals() throws Exception {
        try (ConfigurableApplicationContext hub = start(exampleEnvironment())) {
            assertThat(hub.getBean(ProductionSafety.class)).isNotNull();
            HubProperties properties = hub.getBean(HubProperties.class);
            assertThat(properties.demo().enabled()).isFalse();
            assertThat(properties.sources()).containsOnlyKeys("shaanxi-ymt", "guangdong-ykm", "beijing-jkb", "shanghai-ssm",
                    "sichuan-tfjkt", "travel-card", "travel-card-sms");
            assertThat(properties.sources().get("sichuan-tfjkt").endpoint()).hasToString("grpcs://tfjkt.sichuan.example:443");
            assertThat(hub.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void anEndpointLeftOnADemoPortIsRefused() throws Exception {
        Map<String, String> env = exampleEnvironment();
        env.put("SICHUAN_TFJKT_URL", "grpc://127.0.0.1:18481");
        assertThatThrownBy(() -> start(env).close())
                .rootCause().hasMessageContaining("tongxing.sources.sichuan-tfjkt.endpoint points at 127.0.0.1:18481");
    }

    @Test
    void anOpsPortMovedOffLoopbackWithoutATokenIsRefused() throws Exception {
        Map<String, String> env = exampleEnvironment();
        env.put("TONGXING_OPS_ADDRESS", "0.0.0.0");
        assertThatThrownBy(() -> start(env).close())
                .rootCause().hasMessageContaining("server.address 0.0.0.0 exposes the operations port");
    }
}
