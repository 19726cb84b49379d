package dev.tongxing.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.hub.config.ExchangeProperties;
import dev.tongxing.hub.config.FleetProperties;
import dev.tongxing.hub.config.HubProperties;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.yaml.snakeyaml.Yaml;

/**
 * Outside demo mode, what only the demo may carry stops start-up, with a message naming the
 * property; in demo mode it does not; and demo mode is itself refused where there are no simulators.
 */
class ProductionSafetyTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({HubProperties.class, ExchangeProperties.class, SecurityProperties.class, FleetProperties.class})
    @Import(ProductionSafety.class)
    static class Binding {
    }

    private static final String SOURCE = "tongxing.sources.shaanxi-ymt.";
    private final ApplicationContextRunner hub = new ApplicationContextRunner()
            .withUserConfiguration(Binding.class)
            .withPropertyValues(
                    "tongxing.exchange.pseudonym-key=a-real-key-from-the-secret-store-0123456789",
                    "server.address=127.0.0.1",
                    "spring.datasource.url=jdbc:postgresql://db.example:5432/tongxing",
                    "tongxing.fleet.kafka.enabled=true", "tongxing.fleet.leases.enabled=true",
                    SOURCE + "family=pinyin-json", SOURCE + "province=61",
                    SOURCE + "endpoint=https://ymt.shaanxi.example/api/v1/query");

    @Test
    void aSafeProductionConfigurationStarts() {
        hub.run(context -> assertThat(context).hasNotFailed().hasSingleBean(ProductionSafety.class));
    }

    @Test
    void theDemoPseudonymKeyIsRefused() {
        hub.withPropertyValues("tongxing.exchange.pseudonym-key=" + ProductionSafety.DEMO_PSEUDONYM_KEY)
                .run(context -> assertRefused(context, "tongxing.exchange.pseudonym-key is the published demo key"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://127.0.0.1:18480/ymt/61/api/v1/query||tongxing.sources.shaanxi-ymt.endpoint points at 127.0.0.1:18480, a demo simulator port",
            "http://localhost:18480/ymt/61/api/v1/query||tongxing.sources.shaanxi-ymt.endpoint points at localhost:18480",
            "http://[::1]:18481/q||tongxing.sources.shaanxi-ymt.endpoint points at [::1]:18481",
            "http://127.0.0.2:19000/q|tongxing.demo.port=19000|tongxing.sources.shaanxi-ymt.endpoint points at 127.0.0.2:19000, a demo simulator port (tongxing.demo.port 19000",
    })
    void aSourceOnADemoPortIsRefused(String endpoint, String extra, String message) {
        var runner = hub.withPropertyValues(SOURCE + "endpoint=" + endpoint);
        if (extra != null) {
            runner = runner.withPropertyValues(extra);
        }
        runner.run(context -> assertRefused(context, message));
    }

    @Test
    void aGrpcSourceOnTheDemoGrpcPortIsRefused() {
        hub.withPropertyValues("tongxing.sources.sichuan-tfjkt.family=tongxing-grpc", "tongxing.sources.sichuan-tfjkt.province=51",
                        "tongxing.sources.sichuan-tfjkt.endpoint=grpc://127.0.0.1:18481")
                .run(context -> assertRefused(context, "tongxing.sources.sichuan-tfjkt.endpoint points at 127.0.0.1:18481"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/q", "http://ymt.example:18480/q", "http://10.0.0.5:18480/q"})
    void anotherPortOrAnotherHostIsNotADemoPort(String endpoint) {
        hub.withPropertyValues(SOURCE + "endpoint=" + endpoint).run(context -> assertThat(context).hasNotFailed());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "server.address=0.0.0.0|server.address 0.0.0.0 exposes the operations port",
            "server.address=10.1.2.3|server.address 10.1.2.3 exposes the operations port",
            "server.address=|server.address is unset (all interfaces) exposes the operations port",
            "management.server.port=9092|management.server.address is unset (all interfaces) exposes the operations port",
    })
    void anOpsPortBeyondLoopbackWithoutATokenIsRefused(String setting, String message) {
        hub.withPropertyValues(setting).run(context -> assertRefused(context, message,
                "tongxing.security.ops-token-required=true"));
    }

    @Test
    void anOpsPortBeyondLoopbackIsAcceptedWhenItRequiresAToken() {
        hub.withPropertyValues("server.address=0.0.0.0", "tongxing.security.ops-token-required=true")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        hub.withPropertyValues("tongxing.exchange.pseudonym-key=" + ProductionSafety.DEMO_PSEUDONYM_KEY,
                        SOURCE + "endpoint=http://127.0.0.1:18480/q", "server.address=0.0.0.0", "tongxing.fleet.kafka.enabled=false")
                .run(context -> assertRefused(context, "tongxing.exchange.pseudonym-key", "tongxing.sources.shaanxi-ymt.endpoint",
                        "server.address 0.0.0.0", "tongxing.fleet.kafka.enabled"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "spring.datasource.url=jdbc:h2:file:./target/tongxing-data/exchange;PASSWORD=secret|spring.datasource.url is jdbc:h2:...; outside demo mode",
            "spring.datasource.url=|spring.datasource.url is unset; outside demo mode",
            "tongxing.fleet.kafka.enabled=false|tongxing.fleet.kafka.enabled is false; outside demo mode",
            "tongxing.fleet.leases.enabled=false|tongxing.fleet.leases.enabled is false; outside demo mode",
    })
    void theSingleProcessStoresAreRefused(String setting, String message) {
        hub.withPropertyValues(setting).run(context -> {
            assertRefused(context, message);
            assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("secret");
        });
    }

    /** The embedded default (README: mvn -pl demo -am spring-boot:run) needs neither Kafka nor PostgreSQL. */
    @Test
    void demoModeRunsOnTheEmbeddedStoresWithoutKafka() {
        hub.withPropertyValues("tongxing.demo.enabled=true", "spring.datasource.url=jdbc:h2:mem:demo",
                        "tongxing.fleet.kafka.enabled=false", "tongxing.fleet.leases.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void demoModeAllowsTheDemoSettings() {
        hub.withPropertyValues("tongxing.demo.enabled=true", "tongxing.exchange.pseudonym-key=" + ProductionSafety.DEMO_PSEUDONYM_KEY,
                        SOURCE + "endpoint=http://127.0.0.1:18480/q", "server.address=0.0.0.0")
                .run(context -> assertThat(context).hasNotFailed());
    }

    /** The production artifact has no simulators, so demo mode cannot be used there to lift the checks. */
    @Test
    void demoModeIsRefusedWhereThereAreNoSimulators() {
        hub.withClassLoader(new FilteredClassLoader("dev.tongxing.simulators."))
                .withPropertyValues("tongxing.demo.enabled=true")
                .run(context -> assertRefused(context, "tongxing.demo.enabled=true, but this build has no simulators"));
    }

    /** The refusal knows the demo key by value; it must be the one the demo configuration really uses. */
    @Test
    @SuppressWarnings("unchecked")
    void theRefusedKeyIsTheDemoConfigurationsKey() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/tongxing-demo.yml")) {
            Map<String, Object> demo = new Yaml().load(in);
            var exchange = (Map<String, Object>) ((Map<String, Object>) demo.get("tongxing")).get("exchange");
            assertThat(exchange.get("pseudonym-key")).isEqualTo(ProductionSafety.DEMO_PSEUDONYM_KEY);
        }
    }

    private static void assertRefused(org.springframework.boot.test.context.assertj.AssertableApplicationContext context,
                                      String... fragments) {
        assertThat(context).hasFailed();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertThat(messages.toString()).contains(fragments);
    }
}
