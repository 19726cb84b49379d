package dev.tongxing.hub.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.adapters.FormatFamilies;
import dev.tongxing.hub.sources.SourceRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A bad value stops start-up, and the message names the property and what is wrong with it. */
class ConfigurationValidationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({HubProperties.class, AdmissionProperties.class, ManifestProperties.class})
    static class Binding {
        @Bean
        SourceRegistry registry(HubProperties properties) {
            return new SourceRegistry(properties, FormatFamilies.builtIn());
        }
    }

    private static final String SOURCE = "tongxing.sources.shaanxi-ymt.";
    private final ApplicationContextRunner hub = new ApplicationContextRunner()
            .withUserConfiguration(Binding.class)
            .withPropertyValues(SOURCE + "family=pinyin-json", SOURCE + "province=61", SOURCE + "endpoint=http://127.0.0.1:1/q");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            SOURCE + "resilience.capacity=0|resilience.capacity must be 1..1000000 requests per second, got 0",
            SOURCE + "resilience.send-within=2s|resilience.send-within must be 0..500ms, got PT2S",
            SOURCE + "cache.refresh-ahead=2m|cache.refresh-ahead (PT2M) must be positive and shorter than cache.fresh-for (PT1M)",
            SOURCE + "cache.max-stale=10s|cache.max-stale (PT10S) must not be shorter than cache.fresh-for (PT1M)",
            SOURCE + "resilience.breaker.minimum-calls=50|resilience.breaker.minimum-calls (50) must be between 1 and sliding-window (20)",
            SOURCE + "endpoint=ftp://127.0.0.1/q|endpoint must be an http, https, grpc or grpcs URL",
            SOURCE + "province=6|province must be a two-digit GB/T 2260 code",
            SOURCE + "endpoint=grpc://127.0.0.1:1|so the endpoint must be an http or https URL",
            SOURCE + "family=tongxing-grpc|so the endpoint must be grpc://host:port (or grpcs://)",
            SOURCE + "family=klingon-json|tongxing.sources.shaanxi-ymt.family: unknown format family 'klingon-json'",
            SOURCE + "fallback=nowhere|tongxing.sources.shaanxi-ymt.fallback names unknown source 'nowhere'",
            "tongxing.admission.max-in-flight=0|tongxing.admission.max-in-flight must be at least 1, got 0",
            "tongxing.manifest.max-entries=0|tongxing.manifest.max-entries must be 1..1000000, got 0",
            "tongxing.admission.max-streams=0|tongxing.admission.max-streams must be at least 1, got 0",
            "tongxing.admission.max-streams=10;tongxing.admission.max-streams-per-peer=11|tongxing.admission.max-streams-per-peer must be between 1 and max-streams (10), got 11",
            "tongxing.grpc.max-connection-age=500ms|tongxing.grpc.max-connection-age must be at least 1s, got PT0.5S",
            "tongxing.grpc.answer-reserve=2s|tongxing.grpc.answer-reserve must be 0..1s, got PT2S",
            SOURCE + "resilience.breaker.max-retry-after=0s|resilience.breaker.max-retry-after must be positive and at most 1d",
            "tongxing.checkpoints.XIAN=no-such-policy|tongxing.checkpoints.XIAN names unknown policy 'no-such-policy'",
            "tongxing.sources[Bad_Id].family=pinyin-json;tongxing.sources[Bad_Id].province=62;tongxing.sources[Bad_Id].endpoint=http://127.0.0.1:1/q|tongxing.sources: id 'Bad_Id' must be lower-case letters, digits and dashes",
    })
    void aBadValueStopsStartUpNamingIt(String properties, String message) {
        hub.withPropertyValues(properties.split(";")).run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = cause; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).contains(message);
        });
    }

    @org.junit.jupiter.api.Test
    void theDefaultsStart() {
        hub.run(context -> assertThat(context).hasNotFailed());
    }
}
