package dev.tongxing.hub.codes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.google.protobuf.util.JsonFormat;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import dev.tongxing.adapters.pinyinjson.PinyinJsonFamily;
import dev.tongxing.api.offline.DocumentDigest;
import dev.tongxing.api.offline.EcKeys;
import dev.tongxing.api.offline.ProvinceKeys;
import dev.tongxing.api.offline.SignedCode;
import dev.tongxing.api.offline.SignedCodes;
import dev.tongxing.api.offline.TrustLists;
import dev.tongxing.api.v1.AuditQuery;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetTrustListRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.ProvinceKey;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.ScannedCode;
import dev.tongxing.api.v1.SignedTrustList;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TrustList;
import dev.tongxing.api.v1.TrustListServiceGrpc;
import dev.tongxing.api.v1.Verdict.Decision;
import dev.tongxing.api.v1.VerifyCodeRequest;
import dev.tongxing.hub.security.Role;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.hub.support.ScratchDirectories;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.simulators.SimulatedCodeApps;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedTraveler;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * VerifyCode with signed codes over a real loopback gRPC channel, WireMock playing Shaanxi's
 * platform so the test decides when it answers and when it is down; the codes are signed by the
 * simulated Shaanxi app with its demo key, which the demo configuration trusts.
 */
@SpringBootTest(properties = "tongxing.grpc.port=0")
class OfflineVerificationTest {

    static final String SHAANXI = "/ymt/61/api/v1/query";
    static final String CARD = "/travelcard/api/v1/query";
    static final WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    /** A Guangdong key the configuration below lists as revoked. */
    static final KeyPair REVOKED = EcKeys.generate();
    static Path exportDir;

    static {
        upstream.start();
        exportDir = ScratchDirectories.create("trust-list");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("tongxing.demo.port", upstream::port);
        FreePorts.ownStore(registry);
        TestIssuer.register(registry);
        registry.add("tongxing.trust.sources.guangdong-ykm.keys.gd-2025.public-key", () -> EcKeys.encode(REVOKED.getPublic()));
        registry.add("tongxing.trust.sources.guangdong-ykm.keys.gd-2025.valid-from", () -> "2025-01-01T00:00:00Z");
        registry.add("tongxing.trust.sources.guangdong-ykm.keys.gd-2025.status", () -> "revoked");
        // Shaanxi's unsigned SXYMT1: codes are accepted in the demo; here they are not.
        registry.add("tongxing.trust.sources.shaanxi-ymt.accept-unsigned-codes", () -> "false");
        registry.add("tongxing.trust.export-path", () -> exportDir.resolve("trust-list.json").toString());
    }

    @AfterAll
    static void stopUpstream() {
        upstream.stop();
    }

    @Autowired
    GrpcServer server;

    HubClient hub;
    final SimulatedCodeApps apps = SimulatedCodeApps.demo(new SimulatedPopulation(10), Clock.systemUTC());

    @BeforeEach
    void connect() {
        hub = new HubClient(server.port());
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        hub.close();
    }

    private static int nextTraveler = 300;

    private static synchronized SimulatedTraveler traveler(String colour) {
        SimulatedTraveler t = SimulatedPopulation.traveler(nextTraveler++);
        return new SimulatedTraveler(t.index(), t.residentId(), t.phone(), t.name(), colour, t.reason(), t.cardColour(), t.cities());
    }

    static void shaanxi(String id, ResponseDefinitionBuilder response) {
        upstream.stubFor(post(SHAANXI).withRequestBody(matchingJsonPath("$.zjhm", equalTo(id))).willReturn(response));
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body);
    }

    static String shaanxiAnswer(String id, String colour) {
        return """
                {"zt":"0","xx":"成功","sj":{"xm":"李*","zjhm":"%s","mys":"%s","yy":"",
                 "yxq":"2099-12-31 23:59:59","gxsj":"2022-01-04 09:00:00"}}
                """.formatted(id.substring(0, 4) + "**********" + id.substring(14), colour);
    }

    private VerifyCodeRequest withDocument(String code, SimulatedTraveler t) {
        return VerifyCodeRequest.newBuilder().setPayload(code).setPresentedDocument(HubClient.residentKey(t.residentId(), "")).build();
    }

    @Test
    void theProvincesLiveAnswerWinsOverTheSignedCode() {
        SimulatedTraveler t = traveler("lvma");
        String code = apps.codeFor(t).orElseThrow();
        // Since the code was signed, the province turned the traveler red.
        shaanxi(t.residentId(), json(shaanxiAnswer(t.residentId(), "hongma")));

        TravelerStatus status = hub.blocking().verifyCode(withDocument(code, t));

        assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.RED);
        assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
        assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.STOP);
        assertThat(status.getScannedCode().getKind()).isEqualTo(ScannedCode.Kind.SIGNED);
        assertThat(status.getScannedCode().getKeyId()).isEqualTo("sx-2026");
        assertThat(status.getScannedCode().getDocumentChecked()).isTrue();
    }

    @Test
    void provinceDownTheSignedCodeAnswersAndEachCheckpointsPolicyDecides() {
        SimulatedTraveler t = traveler("lvma");
        String code = apps.codeFor(t, Instant.now().minus(Duration.ofHours(3))).orElseThrow();
        shaanxi(t.residentId(), aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        // Xi'an North (default policy, as an airport or station): a signed code alone does not pass.
        TravelerStatus station = hub.blocking().verifyCode(withDocument(code, t));
        assertThat(station.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.SIGNED_TOKEN);
        assertThat(station.getHealthCode().getProvenance().getSourceId()).isEqualTo("shaanxi-ymt");
        assertThat(station.getHealthCode().getProvenance().getAge().getSeconds()).isBetween(3 * 3600L, 3 * 3600L + 120);
        assertThat(station.getHealthCode().getProvenance().getReason()).contains("answered from the code signed with key sx-2026");
        assertThat(station.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
        assertThat(station.getHealthCode().getValidUntil().getSeconds()).isEqualTo(station.getScannedCode().getExpiresAt().getSeconds());
        assertThat(station.getMaskedName()).isEqualTo(t.maskedName());
        assertThat(station.getVerdict().getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
        assertThat(station.getVerdict().getReasonsList()).anySatisfy(r -> assertThat(r).contains("takes no signed code on its own"));

        // The demo venue takes signed codes up to 24 h old, and does not require the travel card.
        String venueToken = TestIssuer.get().token("checkpoint-venue-demo", "61", Role.CHECKPOINT);
        try (HubClient venue = new HubClient(server.port(), venueToken)) {
            TravelerStatus status = venue.blocking().verifyCode(withDocument(code, t));
            assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.SIGNED_TOKEN);
            assertThat(status.getVerdict().getPolicyId()).isEqualTo("venue");
            assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.PASS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }

        // The audited answer carries the provenance.
        List<AuditRecord> records = new ArrayList<>();
        AuditServiceGrpc.newBlockingStub(hub.channel())
                .withCallCredentials(TestIssuer.bearer(TestIssuer.get().token("ministry-auditor", null, Role.AUDITOR)))
                .queryAudit(AuditQuery.newBuilder().setKind(AuditRecord.Kind.CODE_VERIFICATION).setActor("checkpoint-venue-demo").build())
                .forEachRemaining(records::add);
        assertThat(records).isNotEmpty();
        AuditRecord last = records.get(records.size() - 1);
        assertThat(last.getProvenanceList()).anySatisfy(line -> assertThat(line).matches("health_code=SIGNED_TOKEN:shaanxi-ymt age=\\d+s"));
        assertThat(last.getVerdict()).isEqualTo("PASS");
        assertThat(last.getTravelerProvince()).isEqualTo("61");
    }

    @Test
    void withoutADocumentTheCodeAnswersAlone() {
        SimulatedTraveler t = traveler("huangma");
        TravelerStatus status = hub.blocking().verifyCode(VerifyCodeRequest.newBuilder().setPayload(apps.codeFor(t).orElseThrow()).build());
        assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.YELLOW);
        assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.SIGNED_TOKEN);
        assertThat(status.getScannedCode().getDocumentChecked()).isFalse();
        assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
        assertThat(upstream.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(SHAANXI)).withRequestBody(matchingJsonPath("$.zjhm", equalTo(t.residentId()))))).isEmpty();
    }

    @Test
    void anotherTravelersDocumentIsRefused() {
        SimulatedTraveler t = traveler("lvma");
        SimulatedTraveler other = traveler("lvma");
        assertRefused(withDocument(apps.codeFor(t).orElseThrow(), other), "presented_document: is not the document this code was issued for");
    }

    @Test
    void forgedRevokedRetiredAndExpiredCodesAreInvalidArguments() {
        SimulatedTraveler t = traveler("lvma");
        SignedCode claims = new SignedCode("61", "sx-2026", "王*", DocumentDigest.of(DocumentType.RESIDENT_ID, t.residentId()),
                HealthCodeColour.GREEN, Instant.now(), Instant.now().plus(Duration.ofHours(24)));
        assertRefused(request(SignedCodes.sign(claims, (ECPrivateKey) EcKeys.generate().getPrivate())), "payload: signature does not verify with key sx-2026");

        SignedCode guangdong = new SignedCode("44", "gd-2025", "李*", claims.document(), HealthCodeColour.GREEN, claims.issuedAt(), claims.expiresAt());
        assertRefused(request(SignedCodes.sign(guangdong, (ECPrivateKey) REVOKED.getPrivate())), "key gd-2025 of province 44 is revoked");

        // sx-2025 retired on 2026-06-30: a code it signs now is outside its window, whoever holds it.
        SignedCode late = new SignedCode("61", "sx-2025", "王*", claims.document(), HealthCodeColour.GREEN, claims.issuedAt(), claims.expiresAt());
        assertRefused(request(SignedCodes.sign(late, (ECPrivateKey) EcKeys.generate().getPrivate())), "payload:");

        String expired = apps.codeFor(t, Instant.now().minus(Duration.ofHours(25))).orElseThrow();
        assertRefused(request(expired), "payload: code expired at");
        assertRefused(request(SignedCodes.PREFIX + "not.a.jws"), "payload: signed code");
    }

    @Test
    void hugeOrMalformedTimesAreInvalidArgumentsNeverInternal() throws Exception {
        SimulatedTraveler t = traveler("lvma");
        // Shaanxi's unsigned format with a time no clock holds (Instant.ofEpochSecond would throw).
        String unsigned = "SXYMT1:" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"zjlx\":\"01\",\"zjhm\":\"" + t.residentId() + "\",\"scsj\":9223372036854775807}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertRefused(request(unsigned), "payload:");
        String malformed = "SXYMT1:" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"zjlx\":\"01\",\"zjhm\":\"" + t.residentId() + "\",\"scsj\":\"yesterday\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertRefused(request(malformed), "payload:");

        // A properly signed code whose times are out of range: the key is Shaanxi's demo key.
        for (String iat : List.of("99999999999999999999", "9223372036854775807", "-5", "1.7e9", "\"now\"")) {
            String json = "{\"iss\":\"61\",\"nam\":\"王*\",\"doc\":\"" + DocumentDigest.of(DocumentType.RESIDENT_ID, t.residentId()).encode()
                    + "\",\"col\":\"G\",\"iat\":" + iat + ",\"exp\":4102444800}";
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("sx-2026").build(), new Payload(json));
            jws.sign(new ECDSASigner(demoShaanxiKey()));
            assertRefused(request(SignedCodes.PREFIX + jws.serialize()), "payload: claim 'iat' is not a time");
        }
    }

    @Test
    void unsignedCodesAreRefusedWhereTheSourceDoesNotAcceptThem() {
        SimulatedTraveler t = traveler("lvma");
        String legacy = PinyinJsonFamily.encodeCode("SXYMT1:", DocumentType.RESIDENT_ID, t.residentId(), t.phone(), Instant.now());
        assertRefused(request(legacy), "accept-unsigned-codes is off");
    }

    @Test
    void checkpointsGetTheSignedTrustListAndTheHubExportsIt() throws Exception {
        SignedTrustList signed = TrustListServiceGrpc.newBlockingStub(hub.channel()).withCallCredentials(hub.credentials())
                .getTrustList(GetTrustListRequest.getDefaultInstance());
        ECPublicKey ministry = EcKeys.publicKey(new String(getClass().getResourceAsStream("/demo-keys/ministry-demo.pub.b64").readAllBytes()).strip());
        TrustList list = TrustLists.verify(signed, ministry, Instant.now());
        Map<String, ProvinceKey.Status> statuses = new LinkedHashMap<>();
        ProvinceKeys.from(list).all().forEach(key -> statuses.put(key.keyId(), key.status()));
        assertThat(statuses).containsEntry("sx-2025", ProvinceKey.Status.RETIRED).containsEntry("sx-2026", ProvinceKey.Status.ACTIVE)
                .containsEntry("gd-2026", ProvinceKey.Status.ACTIVE).containsEntry("gd-2025", ProvinceKey.Status.REVOKED);
        assertThat(list.getKeysList()).filteredOn(k -> k.getKeyId().equals("sx-2026")).singleElement()
                .satisfies(k -> assertThat(k.getProvince()).isEqualTo("61"));
        // A code the simulated app signs verifies against the list, as an offline checkpoint would check it.
        SimulatedTraveler t = traveler("lvma");
        assertThat(SignedCodes.verify(apps.codeFor(t).orElseThrow(), ProvinceKeys.from(list), Instant.now()).colour()).isEqualTo(HealthCodeColour.GREEN);

        SignedTrustList.Builder exported = SignedTrustList.newBuilder();
        JsonFormat.parser().merge(Files.readString(exportDir.resolve("trust-list.json")), exported);
        assertThat(TrustLists.verify(exported.build(), ministry, Instant.now()).getKeysCount()).isEqualTo(list.getKeysCount());

        // Operators have no use for it.
        assertThatThrownBy(() -> TrustListServiceGrpc.newBlockingStub(hub.channel()).withCallCredentials(TestIssuer.operator())
                .getTrustList(GetTrustListRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    private static ECPrivateKey demoShaanxiKey() throws java.io.IOException {
        java.util.Properties keys = new java.util.Properties();
        try (var in = OfflineVerificationTest.class.getResourceAsStream("/demo-keys/code-signing.properties")) {
            keys.load(in);
        }
        return EcKeys.privateKey(keys.getProperty("61.private-key"));
    }

    private static VerifyCodeRequest request(String payload) {
        return VerifyCodeRequest.newBuilder().setPayload(payload).build();
    }

    private void assertRefused(VerifyCodeRequest request, String message) {
        assertThatThrownBy(() -> hub.blocking().verifyCode(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains(message);
                });
    }
}
