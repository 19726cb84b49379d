package dev.tongxing.hub.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.hub.TongxingHub;
import dev.tongxing.hub.config.FleetProperties;
import dev.tongxing.hub.config.HubProperties;
import dev.tongxing.localpostgres.LocalPostgres;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * deploy/config/application-production.yml, as a deployment runs it: the hub's own defaults plus
 * that file (the demo configuration the other tests import is left out), with example values for
 * its environment, against a real PostgreSQL and a real Kafka broker on loopback (the production
 * profile is a fleet replica and refuses anything less). It passes the production refusals; one
 * endpoint left on a demo port, an ops port off loopback, or embedded H2 do not.
 */
class ProductionConfigTest {

    static EmbeddedKafkaKraftBroker kafka;
    static LocalPostgres postgres;
    static String databaseUrl;

    @BeforeAll
    static void startStores() throws Exception {
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        postgres = LocalPostgres.start();
        databaseUrl = postgres.newDatabase("production_config").getUrl();
    }

    @AfterAll
    static void stopStores() throws Exception {
        if (kafka != null) {
            kafka.destroy();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

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
        env.put("TONGXING_DB_URL", databaseUrl);
        env.put("TONGXING_DB_USER", "tongxing");
        env.put("TONGXING_DB_PASSWORD", "");
        // The test broker listens in plaintext; production's is SASL_SSL with these credentials and CA.
        env.put("TONGXING_KAFKA_BOOTSTRAP", kafka.getBrokersAsString());
        env.put("TONGXING_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
        env.put("TONGXING_KAFKA_USERNAME", "tongxing-hub");
        env.put("TONGXING_KAFKA_PASSWORD", "example-kafka-password");
        env.put("TONGXING_KAFKA_CA_FILE", "/etc/tongxing/kafka-ca/ca.crt");
        // No load balancer to wait for at shutdown.
        env.put("TONGXING_NOT_SERVING_DELAY", "0s");
        return env;
    }

    private static ConfigurableApplicationContext start(Map<String, String> env) {
        return start(env, List.of());
    }

    private static ConfigurableApplicationContext start(Map<String, String> env, List<String> more) {
        List<String> args = new ArrayList<>(List.of(
                // Exactly what a deployment reads: the hub's application.yml and the production file.
                "--spring.config.location=classpath:/application.yml,file:../deploy/config/application-production.yml",
                // Free ports, and the gRPC listener on loopback: test traffic stays on this host.
                "--tongxing.grpc.port=0", "--tongxing.grpc.host=127.0.0.1", "--server.port=0",
                // Production declares the topic (a Strimzi KafkaTopic); the one-broker test cluster gets it made.
                "--tongxing.fleet.kafka.create-topic=true", "--tongxing.fleet.kafka.replication-factor=1",
                "--tongxing.fleet.kafka.partitions=2"));
        env.forEach((name, value) -> args.add("--" + name + "=" + value));
        args.addAll(more);
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
            FleetProperties fleet = hub.getBean(FleetProperties.class);
            assertThat(fleet.kafka().enabled()).isTrue();
            assertThat(fleet.leases().enabled()).isTrue();
        }
    }

    @Test
    void embeddedH2IsRefused() throws Exception {
        Map<String, String> env = exampleEnvironment();
        env.put("TONGXING_DB_URL", "jdbc:h2:mem:production-config");
        assertThatThrownBy(() -> start(env).close())
                .rootCause().hasMessageContaining("spring.datasource.url is jdbc:h2:...; outside demo mode");
    }

    @Test
    void aReplicaWithoutKafkaOrLeasesIsRefused() throws Exception {
        List<String> off = List.of("--tongxing.fleet.kafka.enabled=false", "--tongxing.fleet.leases.enabled=false");
        assertThatThrownBy(() -> start(exampleEnvironment(), off).close())
                .rootCause().hasMessageContaining("tongxing.fleet.kafka.enabled is false")
                .hasMessageContaining("tongxing.fleet.leases.enabled is false");
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
