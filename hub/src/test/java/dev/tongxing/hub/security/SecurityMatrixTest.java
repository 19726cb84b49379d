package dev.tongxing.hub.security;

import static dev.tongxing.hub.support.RpcProbe.Rpc.CHECK_BATCH;
import static dev.tongxing.hub.support.RpcProbe.Rpc.GET_REGION_HEALTH;
import static dev.tongxing.hub.support.RpcProbe.Rpc.GET_STATUS;
import static dev.tongxing.hub.support.RpcProbe.Rpc.PUBLISH_STATUS_CHANGES;
import static dev.tongxing.hub.support.RpcProbe.Rpc.QUERY_AUDIT;
import static dev.tongxing.hub.support.RpcProbe.Rpc.SUBSCRIBE_STATUS_CHANGES;
import static dev.tongxing.hub.support.RpcProbe.Rpc.VERIFY_AUDIT_CHAIN;
import static dev.tongxing.hub.support.RpcProbe.Rpc.VERIFY_CODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.api.v1.ChangeAck;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.RpcProbe;
import dev.tongxing.hub.support.RpcProbe.Rpc;
import dev.tongxing.hub.support.TestIssuer;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The door, with tokens shaped like Keycloak's from the in-process {@link TestIssuer}: every RPC
 * against every role, hostile tokens, and the bindings of provinces and checkpoints to their own
 * data. {@code KeycloakRoleMatrixTest} holds the same matrix against the real Keycloak server.
 */
@SpringBootTest(properties = {"tongxing.grpc.port=0", "tongxing.security.caller-limits.per-client.checkpoint-greedy=5"})
class SecurityMatrixTest {

    /** Who may call what: the expectation, written independently of the hub's own table. */
    static final Map<Rpc, Set<Role>> ALLOWED = Map.of(
            GET_STATUS, EnumSet.of(Role.CHECKPOINT),
            VERIFY_CODE, EnumSet.of(Role.CHECKPOINT),
            CHECK_BATCH, EnumSet.of(Role.CHECKPOINT),
            PUBLISH_STATUS_CHANGES, EnumSet.of(Role.PROVINCE_SYSTEM),
            SUBSCRIBE_STATUS_CHANGES, EnumSet.of(Role.PROVINCE_SYSTEM),
            QUERY_AUDIT, EnumSet.of(Role.AUDITOR),
            VERIFY_AUDIT_CHAIN, EnumSet.of(Role.AUDITOR),
            GET_REGION_HEALTH, EnumSet.of(Role.AUDITOR, Role.OPERATOR),
            RpcProbe.Rpc.GET_TRUST_LIST, EnumSet.of(Role.CHECKPOINT, Role.PROVINCE_SYSTEM, Role.AUDITOR));

    @DynamicPropertySource
    static void demoAndIssuer(DynamicPropertyRegistry registry) {
        FreePorts.demoOnFreePorts(registry);
        TestIssuer.register(registry);
    }

    @Autowired
    GrpcServer server;

    @Autowired
    JdbcTemplate jdbc;

    ManagedChannel channel;
    final TestIssuer issuer = TestIssuer.get();

    @BeforeEach
    void connect() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** One identity per role as the realm would issue it, plus a client with no hub role. */
    Map<String, CallCredentials> identities() {
        Map<String, CallCredentials> identities = new LinkedHashMap<>();
        identities.put("checkpoint", TestIssuer.bearer(issuer.token("checkpoint-xian-north", "61", Role.CHECKPOINT)));
        identities.put("province-system", TestIssuer.bearer(issuer.token("shaanxi-system", "61", Role.PROVINCE_SYSTEM)));
        identities.put("auditor", TestIssuer.bearer(issuer.token("ministry-auditor", null, Role.AUDITOR)));
        identities.put("operator", TestIssuer.bearer(issuer.token("hub-operator", null, Role.OPERATOR)));
        identities.put("no-role", TestIssuer.bearer(issuer.token("no-role-client", "61")));
        return identities;
    }

    @Test
    void everyRpcIsOpenToExactlyItsRoles() {
        List<String> wrong = RoleMatrix.mismatches(channel, identities(), ALLOWED);
        assertThat(wrong).isEmpty();
    }

    @Test
    void hostileOrBrokenTokensAreUnauthenticatedAndApplyNothing() throws Exception {
        RSAKey stranger = TestIssuer.newKey();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("expired", issuer.token("shaanxi-system", "61",
                claims -> claims.expirationTime(Date.from(Instant.now().minusSeconds(120))), Role.PROVINCE_SYSTEM));
        tokens.put("not yet valid", issuer.token("shaanxi-system", "61",
                claims -> claims.notBeforeTime(Date.from(Instant.now().plusSeconds(600))), Role.PROVINCE_SYSTEM));
        tokens.put("another realm's issuer", issuer.token("shaanxi-system", "61",
                claims -> claims.issuer("http://127.0.0.1:1/realms/other"), Role.PROVINCE_SYSTEM));
        tokens.put("signed by a key the realm never published",
                TestIssuer.sign(issuer.claims("shaanxi-system", "61", Role.PROVINCE_SYSTEM).build(), stranger));
        tokens.put("wrong audience", issuer.token("shaanxi-system", "61",
                claims -> claims.audience("some-other-service"), Role.PROVINCE_SYSTEM));
        tokens.put("no azp", issuer.token("shaanxi-system", "61", claims -> claims.claim("azp", null), Role.PROVINCE_SYSTEM));
        tokens.put("alg none", new PlainJWT(issuer.claims("shaanxi-system", "61", Role.PROVINCE_SYSTEM).build()).serialize());
        tokens.put("HS256 keyed with the realm's public key", hmacWithPublicKey(issuer.claims("shaanxi-system", "61", Role.PROVINCE_SYSTEM).build()));
        tokens.put("tampered payload", tampered(issuer.token("checkpoint-xian-north", "61", Role.CHECKPOINT),
                issuer.claims("checkpoint-xian-north", "61", Role.PROVINCE_SYSTEM).build()));
        tokens.put("not a JWT", "hello");
        tokens.put("province claim not a province", issuer.token("shaanxi-system", "99", Role.PROVINCE_SYSTEM));

        int storedBefore = storedChanges();
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            CallCredentials credentials = TestIssuer.bearer(token.getValue());
            assertThat(RpcProbe.call(channel, PUBLISH_STATUS_CHANGES, credentials)).as(token.getKey()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(RpcProbe.call(channel, GET_STATUS, credentials)).as(token.getKey()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        assertThat(storedChanges()).isEqualTo(storedBefore);

        assertThatThrownBy(() -> TravelerStatusServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.newBuilder().setTraveler(RpcProbe.shaanxiResident()).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).contains("authorization: Bearer");
                });
    }

    @Test
    void aProvincePublishesOnlyForItsOwnResidentsAndNothingElseIsApplied() {
        CallCredentials guangdong = TestIssuer.bearer(issuer.token("guangdong-system", "44", Role.PROVINCE_SYSTEM));
        var shaanxiResident = RpcProbe.shaanxiResident();
        int storedBefore = storedChanges();

        ChangeAck plain = RpcProbe.publish(channel, guangdong, RpcProbe.change(shaanxiResident, ""));
        ChangeAck claimed = RpcProbe.publish(channel, guangdong, RpcProbe.change(shaanxiResident.toBuilder().setIssuingProvince("44").build(), "44"));
        ChangeAck asShaanxi = RpcProbe.publish(channel, guangdong, RpcProbe.change(shaanxiResident, "61"));

        assertThat(List.of(plain, claimed, asShaanxi)).allSatisfy(ack -> assertThat(ack.getOutcome()).isEqualTo(ChangeAck.Outcome.DENIED));
        assertThat(claimed.getReason()).contains("cannot be overridden");
        assertThat(storedChanges()).isEqualTo(storedBefore);

        // Shaanxi itself may; a province claim is required to publish at all.
        CallCredentials shaanxi = TestIssuer.bearer(issuer.token("shaanxi-system", "61", Role.PROVINCE_SYSTEM));
        assertThat(RpcProbe.publish(channel, shaanxi, RpcProbe.change(shaanxiResident, "")).getOutcome()).isEqualTo(ChangeAck.Outcome.APPLIED);
        CallCredentials national = TestIssuer.bearer(issuer.token("national-system", null, Role.PROVINCE_SYSTEM));
        assertThat(RpcProbe.publish(channel, national, RpcProbe.change(shaanxiResident, "61")).getOutcome()).isEqualTo(ChangeAck.Outcome.DENIED);
        assertThat(storedChanges()).isEqualTo(storedBefore + 1);
    }

    @Test
    void aProvinceSubscribesOnlyToItsOwnTerritory() throws Exception {
        CallCredentials guangdong = TestIssuer.bearer(issuer.token("guangdong-system", "44", Role.PROVINCE_SYSTEM));
        var heard = new java.util.concurrent.LinkedBlockingQueue<Object>();
        dev.tongxing.api.v1.ProvinceExchangeGrpc.newStub(channel).withCallCredentials(guangdong).subscribeStatusChanges(
                dev.tongxing.api.v1.SubscribeRequest.newBuilder().setProvince("61").build(), new io.grpc.stub.StreamObserver<>() {
                    @Override public void onNext(dev.tongxing.api.v1.ChangeNotice value) { heard.add(value); }
                    @Override public void onError(Throwable t) { heard.add(t); }
                    @Override public void onCompleted() { heard.add("completed"); }
                });
        Object end = heard.poll(10, TimeUnit.SECONDS);
        assertThat(end).isInstanceOf(StatusRuntimeException.class);
        assertThat(((StatusRuntimeException) end).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void aCheckpointAsksOnlyAsItselfAndWithinItsLimit() {
        CallCredentials xian = TestIssuer.bearer(issuer.token("checkpoint-xian-north", "61", Role.CHECKPOINT));
        assertThatThrownBy(() -> TravelerStatusServiceGrpc.newBlockingStub(channel).withCallCredentials(xian).withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.newBuilder().setTraveler(RpcProbe.shaanxiResident()).setCheckpointId("checkpoint-venue-demo").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).startsWith("checkpoint_id:");
                });

        CallCredentials greedy = TestIssuer.bearer(issuer.token("checkpoint-greedy", "61", Role.CHECKPOINT));
        int refused = 0;
        for (int i = 0; i < 12; i++) {
            if (RpcProbe.call(channel, GET_STATUS, greedy) == Status.Code.RESOURCE_EXHAUSTED) {
                refused++;
            }
        }
        assertThat(refused).as("lookups refused past the per-client limit of 5/s").isGreaterThanOrEqualTo(5);
    }

    @Test
    void theRealmRotatesItsKeyWithoutAHubRestart() {
        CallCredentials before = TestIssuer.bearer(issuer.checkpointToken());
        assertThat(RpcProbe.call(channel, GET_STATUS, before)).isEqualTo(Status.Code.OK);
        issuer.rotate();
        CallCredentials after = TestIssuer.bearer(issuer.checkpointToken());
        assertThat(RpcProbe.call(channel, GET_STATUS, after)).isEqualTo(Status.Code.OK);
        assertThat(RpcProbe.call(channel, GET_STATUS, before)).as("tokens of the old key stay valid while it is published").isEqualTo(Status.Code.OK);
    }

    private int storedChanges() {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM applied_change", Integer.class);
        return count == null ? 0 : count;
    }

    /** The classic confusion attack: the realm's public key used as an HMAC secret. */
    private String hmacWithPublicKey(JWTClaimsSet claims) throws Exception {
        byte[] publicKey = issuer.publishedKeys().get(0).toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.publishedKeys().get(0).getKeyID()).build(), claims);
        jwt.sign(new MACSigner(publicKey));
        return jwt.serialize();
    }

    /** A genuine token whose payload is swapped for one granting more, keeping the signature. */
    private static String tampered(String genuine, JWTClaimsSet grander) {
        String[] parts = genuine.split("\\.");
        String payload = Base64URL.encode(grander.toString().getBytes(StandardCharsets.UTF_8)).toString();
        return parts[0] + "." + payload + "." + parts[2];
    }
}
