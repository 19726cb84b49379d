package dev.tongxing.hub.sources;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.GetRegionHealthRequest;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.SourceHealth;
import dev.tongxing.api.v1.TravelCardColour;
import dev.tongxing.api.v1.TravelCardComponent;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedTraveler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The travel card's second route, as in August 2021: while the card's own service fails and its
 * breaker is open, the hub asks the carriers' SMS channel and labels the answer with the route it
 * came by; before the breaker opens, a failure is a failure (UNAVAILABLE, the SMS channel is not
 * asked); once the card recovers, answers come by the card's own route again. WireMock on
 * loopback plays both the card and the carriers' gateway.
 */
@SpringBootTest(properties = {
        "tongxing.grpc.port=0",
        "tongxing.sources.travel-card.timeout=600ms",
        "tongxing.sources.travel-card.resilience.breaker.sliding-window=10",
        "tongxing.sources.travel-card.resilience.breaker.minimum-calls=5",
        "tongxing.sources.travel-card.resilience.breaker.wait-in-open=3s",
        "tongxing.sources.travel-card.resilience.breaker.half-open-calls=2",
})
class CarrierSmsFallbackTest {

    static final String CARD = "/travelcard/api/v1/query";
    static final String SMS = "/carrier/sms/api/v1/query";
    static final WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(32));

    static {
        upstream.start();
    }

    @DynamicPropertySource
    static void sourcesOnWireMock(DynamicPropertyRegistry registry) {
        registry.add("tongxing.demo.port", upstream::port);
        FreePorts.ownStore(registry);
        TestIssuer.register(registry);
    }

    /** Both answer for anyone, echoing the asked number masked, as the real ones do: the card green, the SMS orange. */
    @BeforeAll
    static void healthySystems() {
        upstream.stubFor(post(urlEqualTo(CARD)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=UTF-8").withBody("""
                {"code":"0","message":"success","result":{"msisdn":"{{substring (jsonPath request.body '$.msisdn') 0 3}}****{{substring (jsonPath request.body '$.msisdn') 7 11}}",
                 "color":"green","days":14,"updateTime":"2022-01-04 09:00:00","cities":["陕西省西安市"]}}
                """).withTransformers("response-template")));
        upstream.stubFor(post(urlEqualTo(SMS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/plain; charset=UTF-8").withBody(
                        "【通信行程卡】尊敬的用户：您的手机号{{substring (jsonPath request.body '$.msisdn') 0 3}}****{{substring (jsonPath request.body '$.msisdn') 7 11}}"
                                + "于前14天内到达或途经：陕西省西安市，广东省深圳市*。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：橙色。")
                .withTransformers("response-template")));
        // Compile the templates once, before any lookup's clock runs.
        for (String path : new String[] {CARD, SMS}) {
            try {
                java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(upstream.baseUrl() + path))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"msisdn\":\"13800000001\"}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @AfterAll
    static void stopUpstream() {
        upstream.stop();
    }

    @Autowired
    GrpcServer server;

    private static int nextTraveler = 5_000;

    private static SimulatedTraveler newcomer() {
        return SimulatedPopulation.traveler(nextTraveler++);
    }

    /** The verdict's reasons for the traveler, read again (the card then comes from the cache). */
    private static java.util.List<String> verdictReasons(HubClient hub, SimulatedTraveler t) {
        return hub.blocking().withDeadlineAfter(3, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.newBuilder().setTraveler(HubClient.residentKey(t.residentId(), t.phone())).build())
                .getVerdict().getReasonsList();
    }

    private static TravelCardComponent card(HubClient hub, SimulatedTraveler t) {
        return hub.blocking().withDeadlineAfter(3, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.newBuilder().setTraveler(HubClient.residentKey(t.residentId(), t.phone())).build())
                .getTravelCard();
    }

    private static SourceHealth.BreakerState cardBreaker(HubClient hub) {
        return AuditServiceGrpc.newBlockingStub(hub.channel()).withCallCredentials(TestIssuer.operator()).withDeadlineAfter(2, TimeUnit.SECONDS)
                .getRegionHealth(GetRegionHealthRequest.getDefaultInstance()).getSourcesList().stream()
                .filter(source -> source.getSourceId().equals("travel-card")).findFirst().orElseThrow().getBreakerState();
    }

    private static long smsRequests() {
        return upstream.getAllServeEvents().stream().filter(event -> event.getRequest().getUrl().equals(SMS)).count();
    }

    @Test
    void whileTheCardsBreakerIsOpenTheCarrierSmsRouteAnswers() throws Exception {
        long smsBefore = smsRequests();
        try (HubClient hub = new HubClient(server.port())) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                TravelCardComponent healthy = card(hub, newcomer());
                assertThat(healthy.getProvenance().getKind()).as(healthy.getProvenance().getReason()).isEqualTo(Provenance.Kind.LIVE);
                assertThat(healthy.getProvenance().getRoute()).isEmpty();
                assertThat(healthy.getColour()).isEqualTo(TravelCardColour.TRAVEL_GREEN);
            });
            assertThat(cardBreaker(hub)).isEqualTo(SourceHealth.BreakerState.CLOSED);

            StubMapping outage = upstream.stubFor(post(urlEqualTo(CARD)).atPriority(1)
                    .willReturn(aResponse().withStatus(500).withBody("Internal Server Error")));

            // Before the breaker opens: each failure is UNAVAILABLE, and the carriers are not asked.
            int failures = 0;
            while (cardBreaker(hub) != SourceHealth.BreakerState.OPEN) {
                assertThat(failures).as("breaker opens within 10 failed lookups").isLessThan(10);
                TravelCardComponent failed = card(hub, newcomer());
                failures++;
                assertThat(failed.getProvenance().getKind()).isEqualTo(Provenance.Kind.UNAVAILABLE);
                assertThat(failed.getColour()).isEqualTo(TravelCardColour.TRAVEL_CARD_COLOUR_UNSPECIFIED);
                assertThat(failed.getProvenance().getReason()).startsWith("travel-card: HTTP status 500");
                assertThat(failed.getProvenance().getRoute()).isEmpty();
            }
            assertThat(failures).isPositive();
            assertThat(smsRequests()).isEqualTo(smsBefore);

            // Open: the card is not asked; the SMS route answers, live, and says so.
            int cardRequests = upstream.countRequestsMatching(post(urlEqualTo(CARD)).build().getRequest()).getCount();
            for (int i = 0; i < 5; i++) {
                // Back to back: the route's 100/s comes five permits to a cycle of ~53 ms (CapacityLimits),
                // so five lookups a few milliseconds apart are all asked.
                SimulatedTraveler t = newcomer();
                TravelCardComponent bySms = card(hub, t);
                assertThat(bySms.getProvenance().getKind()).as(bySms.getProvenance().getReason()).isEqualTo(Provenance.Kind.LIVE);
                assertThat(bySms.getProvenance().getRoute()).isEqualTo("travel-card-sms");
                assertThat(bySms.getProvenance().getSourceId()).isEqualTo("travel-card");
                assertThat(bySms.getColour()).isEqualTo(TravelCardColour.TRAVEL_ORANGE);
                assertThat(bySms.getMaskedPhone()).isEqualTo(t.phone().substring(0, 3) + "****" + t.phone().substring(7));
                assertThat(bySms.getWindowDays()).isEqualTo(14);
                // The SMS named two cities, one starred: the verdict counts it; the itinerary stays with the hub.
                assertThat(bySms.getCitiesList()).isEmpty();
                assertThat(verdictReasons(hub, t)).contains("travel card starred: passed through 1 city with medium- or high-risk areas");
            }
            assertThat(smsRequests()).isEqualTo(smsBefore + 5);
            assertThat(upstream.countRequestsMatching(post(urlEqualTo(CARD)).build().getRequest()).getCount()).isEqualTo(cardRequests);

            // The card recovers: once its breaker has half-opened and closed, answers come by its own route again.
            upstream.removeStub(outage);
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                TravelCardComponent recovered = card(hub, newcomer());
                assertThat(cardBreaker(hub)).isEqualTo(SourceHealth.BreakerState.CLOSED);
                assertThat(recovered.getProvenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
                assertThat(recovered.getProvenance().getRoute()).isEmpty();
                assertThat(recovered.getColour()).isEqualTo(TravelCardColour.TRAVEL_GREEN);
            });
        }
    }
}
