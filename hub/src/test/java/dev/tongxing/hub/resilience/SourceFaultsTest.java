package dev.tongxing.hub.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.GetRegionHealthRequest;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.SourceHealth;
import dev.tongxing.api.v1.TravelCardColour;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedTraveler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Shaanxi's platform misbehaves in each of the ways real platforms did, while the travel card
 * stays healthy. For each fault: travelers are still answered within their deadline (the failing
 * component STALE or UNAVAILABLE, the healthy one intact), the breaker opens, then half-opens and
 * closes once the fault is lifted, and the platform never sees more than its declared capacity.
 */
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "tongxing.grpc.port=0",
        "tongxing.sources.shaanxi-ymt.timeout=600ms",
        "tongxing.sources.shaanxi-ymt.cache.fresh-for=300ms",
        "tongxing.sources.shaanxi-ymt.cache.refresh-ahead=200ms",
        "tongxing.sources.shaanxi-ymt.cache.max-stale=1h",
        "tongxing.sources.shaanxi-ymt.resilience.capacity=" + SourceFaultsTest.CAPACITY,
        "tongxing.sources.shaanxi-ymt.resilience.breaker.sliding-window=10",
        "tongxing.sources.shaanxi-ymt.resilience.breaker.minimum-calls=5",
        "tongxing.sources.shaanxi-ymt.resilience.breaker.wait-in-open=500ms",
        "tongxing.sources.shaanxi-ymt.resilience.breaker.half-open-calls=2",
})
class SourceFaultsTest {

    static final int CAPACITY = 20;
    static final String SHAANXI = "/ymt/61/api/v1/query";
    static final String CARD = "/travelcard/api/v1/query";
    static final long DEADLINE_MS = 1500;
    static final WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(64));

    static {
        upstream.start();
    }

    @DynamicPropertySource
    static void sourcesOnWireMock(DynamicPropertyRegistry registry) {
        registry.add("tongxing.demo.port", upstream::port);
        FreePorts.ownStore(registry);
        TestIssuer.register(registry);
    }

    @AfterAll
    static void stopUpstream() {
        upstream.stop();
    }

    @Autowired
    GrpcServer server;

    @LocalServerPort
    int httpPort;

    HubClient hub;
    final java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void connect() {
        hub = new HubClient(server.port());
        // Connect before the clock starts: a cold channel's set-up is not the hub's latency.
        io.grpc.health.v1.HealthGrpc.newBlockingStub(hub.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance());
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        hub.close();
    }

    /** The ways a province's platform failed, as WireMock serves them. */
    enum Outage {
        CONNECTION_RESET(() -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
        EMPTY_REPLY(() -> aResponse().withFault(Fault.EMPTY_RESPONSE)),
        MALFORMED_BODY(() -> aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)),
        SLOW_DRIP(() -> json(answer("610102196001011000", "lvma")).withChunkedDribbleDelay(20, 5_000)),
        FIVE_SECOND_DELAY(() -> json(answer("610102196001011000", "lvma")).withFixedDelay(5_000)),
        HTTP_500(() -> aResponse().withStatus(500).withBody("Internal Server Error")),
        TOO_MANY_REQUESTS(() -> aResponse().withStatus(429).withHeader("Retry-After", "1").withBody("流量过大，请稍后再试")),
        // Accepts the connection and never says anything (held far past every timeout).
        NO_ANSWER(() -> aResponse().withFixedDelay(60_000));

        final Supplier<ResponseDefinitionBuilder> response;

        Outage(Supplier<ResponseDefinitionBuilder> response) {
            this.response = response;
        }
    }

    private static int nextTraveler = 2_000;

    private static synchronized SimulatedTraveler traveler() {
        return SimulatedPopulation.traveler(nextTraveler++);
    }

    static String answer(String id, String colour) {
        return """
                {"zt":"0","xx":"成功","sj":{"xm":"李*","zjhm":"%s","mys":"%s","yy":"","gxsj":"2022-01-04 09:00:00"}}
                """.formatted(id.substring(0, 4) + "**********" + id.substring(14), colour);
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body);
    }

    /**
     * Both systems answer green for anyone, echoing the asked number masked, as the real ones do.
     * One templated stub per system: hundreds of per-traveler stubs would make WireMock itself the
     * bottleneck.
     */
    @BeforeAll
    static void healthySystems() {
        upstream.stubFor(post(SHAANXI).willReturn(json("""
                {"zt":"0","xx":"成功","sj":{"xm":"李*","zjhm":"{{substring (jsonPath request.body '$.zjhm') 0 4}}**********{{substring (jsonPath request.body '$.zjhm') 14 18}}",
                 "mys":"lvma","yy":"","gxsj":"2022-01-04 09:00:00"}}
                """).withTransformers("response-template")));
        upstream.stubFor(post(CARD).willReturn(json("""
                {"code":"0","message":"success","result":{"msisdn":"{{substring (jsonPath request.body '$.msisdn') 0 3}}****{{substring (jsonPath request.body '$.msisdn') 7 11}}",
                 "color":"green","days":14,"updateTime":"2022-01-04 09:00:00","cities":["陕西省西安市"]}}
                """).withTransformers("response-template")));
        // Compile the templates once, before any test's clock runs.
        var warm = SimulatedPopulation.traveler(1);
        for (String[] call : new String[][] {{SHAANXI, "{\"zjhm\":\"" + warm.residentId() + "\"}"}, {CARD, "{\"msisdn\":\"" + warm.phone() + "\"}"}}) {
            try {
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + call[0]))
                        .POST(HttpRequest.BodyPublishers.ofString(call[1])).build(), HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static SimulatedTraveler healthyTraveler() {
        return traveler();
    }

    private TravelerStatus lookupWithinDeadline(SimulatedTraveler t) {
        // The client enforces the deadline: an answer that came too late would be DEADLINE_EXCEEDED, not a status.
        return hub.blocking().withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                .getStatus(GetStatusRequest.newBuilder().setTraveler(HubClient.residentKey(t.residentId(), t.phone())).build());
    }

    /** Answered live by the province, once the capacity limit has a slot (earlier steps may have used this second's). */
    private void assertAnsweredLive(SimulatedTraveler t) {
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            TravelerStatus status = lookupWithinDeadline(t);
            assertThat(status.getHealthCode().getProvenance().getKind()).as(status.getHealthCode().getProvenance().getReason())
                    .isIn(Provenance.Kind.LIVE, Provenance.Kind.CACHED);
            assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
        });
    }

    private SourceHealth shaanxiHealth() {
        return AuditServiceGrpc.newBlockingStub(hub.channel()).withCallCredentials(TestIssuer.operator()).withDeadlineAfter(2, TimeUnit.SECONDS)
                .getRegionHealth(GetRegionHealthRequest.getDefaultInstance()).getSourcesList().stream()
                .filter(source -> source.getSourceId().equals("shaanxi-ymt")).findFirst().orElseThrow();
    }

    /**
     * The capacity limiter hands out one permit per cycle of about 53 ms at 20/s (see
     * CapacityLimits), so a round of five lookups reaches the province once or twice and the rest
     * are refused at capacity. The breaker is therefore bounded by the lookups that reached the
     * province, not by rounds, and rounds are a cycle apart so each one asks.
     */
    private static final long CYCLE_MS = CapacityLimits.forCapacity(CAPACITY).getLimitRefreshPeriod().toMillis() + 1;
    private static final String AT_CAPACITY = "shaanxi-ymt: declared capacity reached; not asked";

    /** What the hub logs while a case runs. */
    final ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
    final ch.qos.logback.classic.Logger root =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @AfterEach
    void stopListening() {
        root.detachAppender(logged);
    }

    @AfterEach
    void liftFaults() {
        // A failed case must not leave its fault in place for the next one.
        upstream.getStubMappings().stream().filter(stub -> Integer.valueOf(1).equals(stub.getPriority())).toList()
                .forEach(upstream::removeStub);
    }

    @ParameterizedTest
    @EnumSource(Outage.class)
    void travelersAreStillRecognizedAndTheProvinceIsProtected(Outage outage) throws Exception {
        SimulatedTraveler known = healthyTraveler();
        assertAnsweredLive(known);
        int countBefore = upstream.getAllServeEvents().size();
        logged.start();
        root.addAppender(logged);

        StubMapping fault = upstream.stubFor(post(urlEqualTo(SHAANXI)).atPriority(1).willReturn(outage.response.get()));
        Thread.sleep(350); // past fresh-for, so the known traveler's next lookup asks the province

        int askedProvince = 0;
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (shaanxiHealth().getBreakerState() != SourceHealth.BreakerState.OPEN) {
            // The breaker decides on its sliding window of 10 calls, at least 5 of them failed.
            assertThat(askedProvince).as(outage + ": breaker opens within its window of lookups that reached the province").isLessThanOrEqualTo(10);
            assertThat(System.nanoTime()).as(outage + ": breaker opens within 10 s").isLessThan(giveUp);
            List<CompletableFuture<TravelerStatus>> round = new ArrayList<>();
            round.add(CompletableFuture.supplyAsync(() -> lookupWithinDeadline(known), callers));
            for (int i = 0; i < 4; i++) {
                SimulatedTraveler newcomer = healthyTraveler();
                round.add(CompletableFuture.supplyAsync(() -> lookupWithinDeadline(newcomer), callers));
            }
            for (int i = 0; i < round.size(); i++) {
                TravelerStatus status = round.get(i).get(5, TimeUnit.SECONDS);
                Provenance provenance = status.getHealthCode().getProvenance();
                if (!provenance.getReason().equals(AT_CAPACITY)) {
                    askedProvince++;
                }
                if (i == 0) {
                    assertThat(provenance.getKind()).as(outage + ": known traveler").isEqualTo(Provenance.Kind.STALE);
                    assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
                    assertThat(provenance.getReason()).startsWith("shaanxi-ymt: ");
                } else {
                    assertThat(provenance.getKind()).as(outage + ": new traveler").isEqualTo(Provenance.Kind.UNAVAILABLE);
                    assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED);
                }
                assertThat(status.getTravelCard().getColour()).as(outage + ": the healthy source: " + status.getTravelCard().getProvenance().getReason())
                        .isEqualTo(TravelCardColour.TRAVEL_GREEN);
            }
            Thread.sleep(CYCLE_MS);
        }

        // Open: the province is not asked at all, and answers come at once.
        int whileOpen = upstream.getAllServeEvents().size();
        TravelerStatus refused = lookupWithinDeadline(healthyTraveler());
        assertThat(refused.getHealthCode().getProvenance().getReason())
                .isEqualTo("shaanxi-ymt: circuit open after repeated failures; not asked");
        assertThat(upstream.getAllServeEvents().size()).isEqualTo(whileOpen + 1); // the travel card only

        upstream.removeStub(fault);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(150)).untilAsserted(() -> {
            lookupWithinDeadline(healthyTraveler());
            assertThat(shaanxiHealth().getBreakerState()).isEqualTo(SourceHealth.BreakerState.CLOSED);
        });
        assertAnsweredLive(healthyTraveler());

        assertThat(busiestSecond(countBefore)).as(outage + ": requests in any one second").isLessThanOrEqualTo(CAPACITY);

        // The log tells an operator when the province stopped and started being asked, a line each,
        // not a stack trace per failed call.
        root.detachAppender(logged);
        List<String> lines = logged.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).contains("source shaanxi-ymt: breaker CLOSED -> OPEN", "source shaanxi-ymt: breaker HALF_OPEN -> CLOSED");
        assertThat(logged.list).noneMatch(event -> event.getLoggerName().startsWith("org.apache.camel")
                && event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN));
    }

    /** A 9 am surge: new travelers at twice the province's declared capacity for two seconds. */
    @Test
    void aSurgeNeverExceedsTheDeclaredCapacity() throws Exception {
        int countBefore = upstream.getAllServeEvents().size();
        List<CompletableFuture<TravelerStatus>> lookups = new ArrayList<>();
        for (int i = 0; i < 4 * CAPACITY; i++) {
            SimulatedTraveler t = healthyTraveler();
            lookups.add(CompletableFuture.supplyAsync(() -> lookupWithinDeadline(t), callers));
            Thread.sleep(1000 / (2 * CAPACITY));
        }
        int refusedLocally = 0;
        for (CompletableFuture<TravelerStatus> lookup : lookups) {
            TravelerStatus status = lookup.get(10, TimeUnit.SECONDS);
            if (status.getHealthCode().getProvenance().getReason().equals(AT_CAPACITY)) {
                refusedLocally++;
            } else {
                assertThat(status.getHealthCode().getColour()).as(status.getHealthCode().getProvenance().getReason()).isEqualTo(HealthCodeColour.GREEN);
            }
        }
        assertThat(refusedLocally).isPositive();
        assertThat(busiestSecond(countBefore)).isLessThanOrEqualTo(CAPACITY);
        assertThat(shaanxiHealth().getRateLimited()).isGreaterThanOrEqualTo(refusedLocally);
    }

    @Test
    void regionHealthAndPrometheusReportTheSameSources() throws Exception {
        lookupWithinDeadline(healthyTraveler());
        SourceHealth health = shaanxiHealth();
        assertThat(health.getProvince()).isEqualTo("61");
        assertThat(health.getLatencyP99().getNanos() + health.getLatencyP99().getSeconds()).isPositive();

        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("tongxing_source_latency_seconds_count{application=\"tongxing-hub\",source=\"shaanxi-ymt\"}")
                .contains("tongxing_source_rate_limited_total{application=\"tongxing-hub\",source=\"travel-card\"}")
                .contains("tongxing_cache_hits_total{application=\"tongxing-hub\",source=\"shaanxi-ymt\"}")
                .contains("tongxing_cache_stale_served_total")
                .contains("resilience4j_circuitbreaker_state{application=\"tongxing-hub\",name=\"shaanxi-ymt\",state=\""
                        + health.getBreakerState().name().toLowerCase() + "\"} 1.0");
    }

    /** Most requests Shaanxi's platform received in any one-second window since the given event count. */
    private static int busiestSecond(int skipFirst) {
        List<Long> times = new ArrayList<>();
        List<ServeEvent> events = new ArrayList<>(upstream.getAllServeEvents());
        java.util.Collections.reverse(events); // oldest first
        for (ServeEvent event : events.subList(Math.min(skipFirst, events.size()), events.size())) {
            if (event.getRequest().getUrl().equals(SHAANXI)) {
                times.add(event.getRequest().getLoggedDate().getTime());
            }
        }
        java.util.Collections.sort(times);
        int busiest = 0;
        for (int start = 0, end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= 1000) {
                start++;
            }
            busiest = Math.max(busiest, end - start + 1);
        }
        return busiest;
    }
}
