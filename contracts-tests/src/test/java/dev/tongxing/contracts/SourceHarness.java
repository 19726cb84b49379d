package dev.tongxing.contracts;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.tongxing.adapters.FormatFamilies;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceRoutes;
import dev.tongxing.adapters.SourceSettings;
import java.io.IOException;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The plumbing every contract test shares: one WireMock server on 127.0.0.1 playing all sources,
 * and a Camel context running the real {@link SourceRoutes} for one source of each format family,
 * judged by a fixed clock (2022-01-04 09:30 Beijing time).
 */
public final class SourceHarness implements AutoCloseable {

    public static final Instant NOW = Instant.parse("2022-01-04T01:30:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    /** Generous enough that a loaded 2-core machine never turns a hostile answer into a timeout. */
    public static final Duration TIMEOUT = Duration.ofMillis(1500);
    public static final int MAX_BODY = 256 * 1024;
    /** Shanghai's signing key for these tests; generated per run, never stored. */
    public static final KeyPair SHANGHAI_KEY = ecKeyPair();
    public static final String SHANGHAI_KID = "ssm-2022-01";

    private final WireMockServer wireMock;
    private final DefaultCamelContext camel;
    private final SourceRoutes routes;
    private final ProducerTemplate template;

    private SourceHarness(WireMockServer wireMock, DefaultCamelContext camel, SourceRoutes routes) {
        this.wireMock = wireMock;
        this.camel = camel;
        this.routes = routes;
        this.template = camel.createProducerTemplate();
    }

    public static SourceHarness start() {
        WireMockServer wireMock = new WireMockServer(WireMockConfiguration.options()
                .bindAddress("127.0.0.1").dynamicPort().gzipDisabled(true).disableRequestJournal());
        wireMock.start();
        String base = "http://127.0.0.1:" + wireMock.port();
        List<SourceSettings> sources = List.of(
                source("shaanxi-ymt", "pinyin-json", SourceKind.HEALTH_CODE, "61", base, Map.of()),
                source("travel-card", "travel-card-json", SourceKind.TRAVEL_CARD, "00", base, Map.of()),
                source("travel-card-sms", "carrier-sms", SourceKind.TRAVEL_CARD, "00", base, Map.of()),
                source("guangdong-ykm", "envelope-json", SourceKind.HEALTH_CODE, "44", base, Map.of()),
                source("beijing-jkb", "xml-labels", SourceKind.HEALTH_CODE, "11", base, Map.of()),
                source("shanghai-ssm", "signed-json", SourceKind.HEALTH_CODE, "31", base, Map.of(
                        "public-key", Base64.getEncoder().encodeToString(SHANGHAI_KEY.getPublic().getEncoded()),
                        "kid", SHANGHAI_KID)));
        SourceRoutes routes = new SourceRoutes(sources, FormatFamilies.builtIn(CLOCK));
        DefaultCamelContext camel = new DefaultCamelContext();
        try {
            camel.addRoutes(routes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        camel.start();
        return new SourceHarness(wireMock, camel, routes);
    }

    private static SourceSettings source(String id, String family, SourceKind kind, String province, String base, Map<String, String> options) {
        return new SourceSettings(id, family, kind, province, URI.create(base + "/" + id + "/query"), TIMEOUT,
                ZoneId.of("Asia/Shanghai"), MAX_BODY, "", options);
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public WireMockServer wireMock() {
        return wireMock;
    }

    /** The source answers every query with this response. */
    public void serve(String sourceId, ResponseDefinitionBuilder response) {
        wireMock.stubFor(post(urlPathEqualTo("/" + sourceId + "/query")).willReturn(response));
    }

    /** Sends the query through the source's real route. */
    public Exchange call(String sourceId, SourceQuery query) {
        return template.send(SourceRoutes.endpointOf(sourceId), exchange -> exchange.getMessage().setBody(query));
    }

    /** Calls the source and returns its answer, failing the test if the exchange failed. */
    public SourceAnswer answer(String sourceId, SourceQuery query) {
        Exchange exchange = call(sourceId, query);
        assertThat(exchange.getException()).as("exchange failure").isNull();
        return exchange.getMessage().getBody(SourceAnswer.class);
    }

    /**
     * Calls the source and requires a failed exchange whose cause is a {@link RejectedAnswer} or an
     * I/O error (timeouts included), never an answer; returns that cause.
     */
    public Throwable failure(String sourceId, SourceQuery query) {
        Exchange exchange = call(sourceId, query);
        assertThat(exchange.getException())
                .as("a hostile answer must fail the exchange, but it gave %s", exchange.getMessage().getBody())
                .isNotNull();
        for (Throwable cause = exchange.getException(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RejectedAnswer || cause instanceof IOException) {
                return cause;
            }
        }
        throw new AssertionError("failure is neither RejectedAnswer nor I/O", exchange.getException());
    }

    @Override
    public void close() throws IOException {
        template.stop();
        camel.stop();
        routes.close();
        wireMock.stop();
    }
}
