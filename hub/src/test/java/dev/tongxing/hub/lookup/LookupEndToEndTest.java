package dev.tongxing.hub.lookup;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tongxing.adapters.pinyinjson.PinyinJsonFamily;
import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelCardColour;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.Verdict.Decision;
import dev.tongxing.api.v1.VerifyCodeRequest;
import dev.tongxing.api.v1.VisitedCity;
import dev.tongxing.hub.resilience.SourceGuards;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.simulators.SimulatedPopulation;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole path over a real loopback gRPC channel: service, cache, Camel route, HTTP, strict
 * mapping, merge, verdict. WireMock plays Shaanxi's platform and the travel card in their real
 * formats on the paths the configuration points at.
 */
@SpringBootTest(properties = "tongxing.grpc.port=0")
class LookupEndToEndTest {

    static final String SHAANXI = "/ymt/61/api/v1/query";
    static final String CARD = "/travelcard/api/v1/query";
    static final WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

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

    HubClient hub;

    private static boolean warmedUp;

    @BeforeEach
    void connect() {
        hub = new HubClient(server.port());
        if (!warmedUp) {
            warmUp();
            warmedUp = true;
        }
    }

    @Autowired
    SourceGuards guards;

    /**
     * The first lookups in a fresh JVM load the HTTP client, the Camel routes and WireMock's
     * templating, which on a loaded machine can take longer than a source's 800 ms timeout, and a
     * test would then see that instead of what it asserts. So the sources under test first answer
     * one traveler of no test's (retried until they do), and their breakers start the tests from a
     * clean slate.
     */
    private void warmUp() {
        var warm = SimulatedPopulation.traveler(99);
        shaanxi(warm.residentId(), json(shaanxiAnswer(warm.residentId(), "lvma")));
        card(warm.phone(), json(cardAnswer(warm.phone(), "green", "陕西省西安市")));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            TravelerStatus status = hub.status(warm.residentId(), warm.phone());
            return status.getHealthCode().getProvenance().getKind() != Provenance.Kind.UNAVAILABLE
                    && status.getTravelCard().getProvenance().getKind() != Provenance.Kind.UNAVAILABLE;
        });
        guards.all().forEach(guard -> guard.breaker().reset());
    }

    @org.junit.jupiter.api.AfterEach
    void disconnect() throws InterruptedException {
        hub.close();
    }

    /** A fresh traveler per test, so cached answers of one test never serve another. */
    private static int nextTraveler = 100;

    private static synchronized dev.tongxing.simulators.SimulatedTraveler traveler() {
        return SimulatedPopulation.traveler(nextTraveler++);
    }

    static String shaanxiAnswer(String id, String colour) {
        return """
                {"zt":"0","xx":"成功","sj":{"xm":"李*","zjhm":"%s","mys":"%s","yy":"%s",
                 "yxq":"2099-12-31 23:59:59","gxsj":"2022-01-04 09:00:00",
                 "hsjc":{"jcjg":"yinxing","cysj":"2022-01-03 10:30:00"}}}
                """.formatted(id.substring(0, 4) + "**********" + id.substring(14), colour, colour.equals("lvma") ? "" : "密切接触者");
    }

    static String cardAnswer(String phone, String colour, String... cities) {
        return """
                {"code":"0","message":"success","result":{"msisdn":"%s","color":"%s","days":14,
                 "updateTime":"2022-01-04 09:00:00","cities":[%s]}}
                """.formatted(phone.substring(0, 3) + "****" + phone.substring(7), colour,
                String.join(",", java.util.Arrays.stream(cities).map(c -> "\"" + c + "\"").toList()));
    }

    static void shaanxi(String id, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        upstream.stubFor(post(SHAANXI).withRequestBody(matchingJsonPath("$.zjhm", equalTo(id))).willReturn(response));
    }

    static void card(String phone, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        upstream.stubFor(post(CARD).withRequestBody(matchingJsonPath("$.msisdn", equalTo(phone))).willReturn(response));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body);
    }

    @Test
    void greenYellowRedComeThroughWithVerdicts() {
        for (var expectation : List.of(
                new Object[] {"lvma", HealthCodeColour.GREEN, Decision.PASS},
                new Object[] {"huangma", HealthCodeColour.YELLOW, Decision.CHECK_MANUALLY},
                new Object[] {"hongma", HealthCodeColour.RED, Decision.STOP})) {
            var t = traveler();
            shaanxi(t.residentId(), json(shaanxiAnswer(t.residentId(), (String) expectation[0])));
            card(t.phone(), json(cardAnswer(t.phone(), "green", "陕西省西安市")));

            TravelerStatus status = hub.status(t.residentId(), t.phone());

            assertThat(status.getHealthCode().getColour()).as(status.getHealthCode().getProvenance().toString()).isEqualTo(expectation[1]);
            assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
            assertThat(status.getHealthCode().getProvenance().getSourceId()).isEqualTo("shaanxi-ymt");
            assertThat(status.getTravelCard().getColour()).isEqualTo(TravelCardColour.TRAVEL_GREEN);
            assertThat(status.getVerdict().getDecision()).isEqualTo(expectation[2]);
            assertThat(status.getMaskedName()).isEqualTo("李*");
            assertThat(status.getMaskedDocumentNumber()).doesNotContain(t.residentId().substring(4, 14));
        }
    }

    @Test
    void aSecondLookupIsServedFromTheCacheWithoutAskingTheSource() {
        var t = traveler();
        shaanxi(t.residentId(), json(shaanxiAnswer(t.residentId(), "lvma")));
        card(t.phone(), json(cardAnswer(t.phone(), "green", "陕西省西安市")));

        hub.status(t.residentId(), t.phone());
        TravelerStatus again = hub.status(t.residentId(), t.phone());

        assertThat(again.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.CACHED);
        assertThat(again.getTravelCard().getProvenance().getKind()).isEqualTo(Provenance.Kind.CACHED);
        upstream.verify(1, postRequestedFor(urlEqualTo(SHAANXI)).withRequestBody(matchingJsonPath("$.zjhm", equalTo(t.residentId()))));
    }

    @Test
    void starredCitiesAreFlaggedForAPersonWithoutRevealingTheItinerary() {
        var t = traveler();
        shaanxi(t.residentId(), json(shaanxiAnswer(t.residentId(), "lvma")));
        card(t.phone(), json(cardAnswer(t.phone(), "green", "陕西省西安市*", "广东省深圳市")));

        TravelerStatus status = hub.status(t.residentId(), t.phone());

        // Least data: the checkpoint learns that the card is starred, not where the phone has been.
        assertThat(status.getTravelCard().getCitiesList()).isEmpty();
        assertThat(status.toString()).doesNotContain("西安").doesNotContain("深圳");
        assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
        assertThat(status.getVerdict().getReasonsList()).containsExactly("travel card starred: passed through 1 city with medium- or high-risk areas");
    }

    @Test
    void malformedUpstreamAnswersNeverBecomeAColour() {
        record Hostile(String name, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response, String reason) {}
        var t0 = traveler();
        for (Hostile hostile : List.of(
                new Hostile("html error page with 200", aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html><body>系统繁忙</body></html>"),
                        "shaanxi-ymt: content type 'text/html' (expected application/json)"),
                new Hostile("garbage", json("{\"zt\":\"0\",\"sj\":{"), "shaanxi-ymt: body is not well-formed JSON (line 1)"),
                new Hostile("unknown colour", json(shaanxiAnswer(t0.residentId(), "lanma")), "shaanxi-ymt: field 'sj.mys' has unknown colour 'lanma'"),
                new Hostile("another traveler", json(shaanxiAnswer("610102199001019999", "lvma")),
                        "shaanxi-ymt: field 'sj.zjhm' names a different traveler than the one asked for"),
                new Hostile("server error", aResponse().withStatus(500).withBody("oops"), "shaanxi-ymt: HTTP status 500 (expected 200)"))) {
            var t = hostile.name().equals("unknown colour") ? t0 : traveler();
            shaanxi(t.residentId(), hostile.response());
            card(t.phone(), json(cardAnswer(t.phone(), "green", "陕西省西安市")));

            TravelerStatus status = hub.status(t.residentId(), t.phone());

            assertThat(status.getHealthCode().getColour()).as(hostile.name()).isEqualTo(HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED);
            assertThat(status.getHealthCode().getProvenance().getKind()).as(hostile.name()).isEqualTo(Provenance.Kind.UNAVAILABLE);
            assertThat(status.getHealthCode().getProvenance().getReason()).as(hostile.name()).isEqualTo(hostile.reason());
            assertThat(status.getTravelCard().getColour()).as(hostile.name()).isEqualTo(TravelCardColour.TRAVEL_GREEN);
            assertThat(status.getVerdict().getDecision()).as(hostile.name()).isEqualTo(Decision.CHECK_MANUALLY);
        }
    }

    @Test
    void anUnknownTravelerIsUnavailableNotGreen() {
        var t = traveler();
        shaanxi(t.residentId(), json("{\"zt\":\"1\",\"xx\":\"未查询到该人员信息\",\"sj\":null}"));
        card(t.phone(), json("{\"code\":\"1001\",\"message\":\"no record\"}"));

        TravelerStatus status = hub.status(t.residentId(), t.phone());

        assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.UNAVAILABLE);
        assertThat(status.getHealthCode().getProvenance().getReason()).isEqualTo("shaanxi-ymt: no record for this traveler");
        assertThat(status.getTravelCard().getProvenance().getReason()).isEqualTo("travel-card: no travel record for this phone number");
        assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
    }

    @Test
    void aSourceThatTimesOutStillLetsTheAnswerArrive() {
        var t = traveler();
        shaanxi(t.residentId(), json(shaanxiAnswer(t.residentId(), "lvma")).withFixedDelay(5_000));
        card(t.phone(), json(cardAnswer(t.phone(), "green", "陕西省西安市")));

        long started = System.nanoTime();
        TravelerStatus status = hub.status(t.residentId(), t.phone());
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(tookMs).as("bounded by the source timeout of 800 ms, not the 5 s delay").isLessThan(3_000);
        assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.UNAVAILABLE);
        assertThat(status.getHealthCode().getProvenance().getReason()).isEqualTo("shaanxi-ymt: no answer within 800 ms");
        assertThat(status.getTravelCard().getColour()).isEqualTo(TravelCardColour.TRAVEL_GREEN);
        assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
    }

    @Test
    void theCallersDeadlineBoundsTheWait() {
        var t = traveler();
        shaanxi(t.residentId(), json(shaanxiAnswer(t.residentId(), "lvma")).withFixedDelay(5_000));
        card(t.phone(), json(cardAnswer(t.phone(), "green", "陕西省西安市")));

        TravelerStatus status = hub.blocking().withDeadlineAfter(400, TimeUnit.MILLISECONDS)
                .getStatus(GetStatusRequest.newBuilder().setTraveler(HubClient.residentKey(t.residentId(), t.phone())).build());

        assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.UNAVAILABLE);
        assertThat(status.getTravelCard().getColour()).isEqualTo(TravelCardColour.TRAVEL_GREEN);
    }

    @Test
    void badKeysAreRejectedNamingTheField() {
        var valid = traveler();
        String badCheckDigit = valid.residentId().substring(0, 17) + (valid.residentId().endsWith("1") ? "2" : "1");
        assertInvalid(HubClient.residentKey(badCheckDigit, ""), "traveler.document_number: not a valid resident ID: check digit does not match (ISO 7064 MOD 11-2)");
        assertInvalid(HubClient.residentKey(valid.residentId(), "").toBuilder().setIssuingProvince("98").build(),
                "traveler.issuing_province: '98' is not a GB/T 2260 province code");
        assertInvalid(TravelerKey.getDefaultInstance(), "traveler: is required");
        assertInvalid(HubClient.residentKey(valid.residentId(), "12345"), "traveler.phone_number: must be 11 digits starting with 1");
        upstream.verify(0, postRequestedFor(urlEqualTo(SHAANXI)).withRequestBody(matchingJsonPath("$.zjhm", equalTo(badCheckDigit))));
    }

    private void assertInvalid(TravelerKey key, String message) {
        assertThatThrownBy(() -> hub.blocking().getStatus(GetStatusRequest.newBuilder().setTraveler(key).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo(message);
                });
    }

    @Test
    void aTravelerWithoutPhoneHasNoTravelCard() {
        var t = traveler();
        shaanxi(t.residentId(), json(shaanxiAnswer(t.residentId(), "lvma")));

        TravelerStatus status = hub.status(t.residentId(), "");

        assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
        assertThat(status.getTravelCard().getProvenance().getKind()).isEqualTo(Provenance.Kind.UNAVAILABLE);
        assertThat(status.getTravelCard().getProvenance().getReason()).isEqualTo("no phone number given");
        assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
    }

    @Test
    void aProvinceWithoutASourceIsUnavailable() {
        TravelerStatus status = hub.blocking().getStatus(GetStatusRequest.newBuilder().setTraveler(TravelerKey.newBuilder()
                .setDocumentType(DocumentType.PASSPORT).setDocumentNumber("E12345678").setIssuingProvince("65")).build());
        assertThat(status.getHealthCode().getProvenance().getReason()).isEqualTo("no health-code source is onboarded for province 65");
    }

    @Test
    void verifyCodeReadsTheProvincesQrPayload() {
        var t = traveler();
        shaanxi(t.residentId(), json(shaanxiAnswer(t.residentId(), "huangma")));
        card(t.phone(), json(cardAnswer(t.phone(), "green", "陕西省西安市")));
        String payload = PinyinJsonFamily.encodeCode("SXYMT1:", DocumentType.RESIDENT_ID, t.residentId(), t.phone(), Instant.now());

        TravelerStatus status = hub.blocking().verifyCode(VerifyCodeRequest.newBuilder().setPayload(payload).build());

        assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.YELLOW);
        assertThat(status.getTravelCard().getColour()).isEqualTo(TravelCardColour.TRAVEL_GREEN);
        // Shaanxi's configuration accepts its unsigned format, and the answer says it was one.
        assertThat(status.getScannedCode().getKind()).isEqualTo(dev.tongxing.api.v1.ScannedCode.Kind.UNSIGNED_LEGACY);
        assertThat(status.getScannedCode().getIssuingProvince()).isEqualTo("61");

        String expired = PinyinJsonFamily.encodeCode("SXYMT1:", DocumentType.RESIDENT_ID, t.residentId(), t.phone(), Instant.now().minusSeconds(3600));
        assertThatThrownBy(() -> hub.blocking().verifyCode(VerifyCodeRequest.newBuilder().setPayload(expired).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("payload: code expired (older than PT5M); ask the traveler to refresh it");
                });
        assertThatThrownBy(() -> hub.blocking().verifyCode(VerifyCodeRequest.newBuilder().setPayload("https://example.invalid/qr").build()))
                .hasMessageContaining("payload: not the QR format of any onboarded province");
    }

    @Test
    void checkBatchAnswersEveryEntryOfAManifest() throws InterruptedException {
        var green = traveler();
        var red = traveler();
        shaanxi(green.residentId(), json(shaanxiAnswer(green.residentId(), "lvma")));
        shaanxi(red.residentId(), json(shaanxiAnswer(red.residentId(), "hongma")));
        card(green.phone(), json(cardAnswer(green.phone(), "green", "陕西省西安市")));
        card(red.phone(), json(cardAnswer(red.phone(), "green", "陕西省西安市")));

        List<CheckBatchResult> results = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<CheckBatchRequest> manifest = hub.async().checkBatch(new StreamObserver<>() {
            @Override public void onNext(CheckBatchResult result) { results.add(result); }
            @Override public void onError(Throwable t) { done.countDown(); }
            @Override public void onCompleted() { done.countDown(); }
        });
        manifest.onNext(CheckBatchRequest.newBuilder().setEntryId("03A").setTraveler(HubClient.residentKey(green.residentId(), green.phone())).build());
        manifest.onNext(CheckBatchRequest.newBuilder().setEntryId("03B").setTraveler(HubClient.residentKey(red.residentId(), red.phone())).build());
        manifest.onNext(CheckBatchRequest.newBuilder().setEntryId("03C").setTraveler(HubClient.residentKey("123", "")).build());
        manifest.onCompleted();

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(results).hasSize(3);
        var byEntry = results.stream().collect(java.util.stream.Collectors.toMap(CheckBatchResult::getEntryId, r -> r));
        assertThat(byEntry.get("03A").getStatus().getVerdict().getDecision()).isEqualTo(Decision.PASS);
        assertThat(byEntry.get("03B").getStatus().getVerdict().getDecision()).isEqualTo(Decision.STOP);
        assertThat(byEntry.get("03C").getError().getCode()).isEqualTo("INVALID_ARGUMENT");
        assertThat(byEntry.get("03C").getError().getMessage()).isEqualTo("traveler.document_number: not a valid resident ID: must be 18 characters, got 3");
    }
}
