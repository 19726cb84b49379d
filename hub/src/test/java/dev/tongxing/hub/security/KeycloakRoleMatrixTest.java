package dev.tongxing.hub.security;

import static dev.tongxing.hub.support.RpcProbe.Rpc.GET_STATUS;
import static dev.tongxing.hub.support.RpcProbe.Rpc.PUBLISH_STATUS_CHANGES;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.api.v1.ChangeAck;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.KeycloakServer;
import dev.tongxing.hub.support.RealmClient;
import dev.tongxing.hub.support.RpcProbe;
import dev.tongxing.hub.support.TestIssuer;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * The role matrix and the hostile tokens against the real Keycloak server the build starts
 * ({@link KeycloakServer}) with the realm of {@code deploy/keycloak/}: real client-credentials
 * tokens, real JWKS, a real key rotation. Only "not yet valid" is left to {@code SecurityMatrixTest},
 * because Keycloak never issues a token with a future {@code nbf}.
 */
@SpringBootTest(properties = {"tongxing.grpc.port=0", "tongxing.security.clock-skew=0s"})
class KeycloakRoleMatrixTest {

    static final KeycloakServer KEYCLOAK = KeycloakServer.get();

    @DynamicPropertySource
    static void realm(DynamicPropertyRegistry registry) {
        FreePorts.demoOnFreePorts(registry);
        registry.add("tongxing.security.issuer", () -> KEYCLOAK.issuer(KeycloakServer.TONGXING));
        registry.add("tongxing.security.jwks-refresh-min-interval", () -> "100ms");
    }

    @Autowired
    GrpcServer server;

    @Autowired
    JdbcTemplate jdbc;

    ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static CallCredentials as(RealmClient client) {
        return TestIssuer.bearer(KEYCLOAK.accessToken(client));
    }

    @Test
    void everyRpcIsOpenToExactlyItsRolesWithRealmTokens() {
        Map<String, CallCredentials> identities = new LinkedHashMap<>();
        identities.put("checkpoint", as(RealmClient.CHECKPOINT_XIAN_NORTH));
        identities.put("province-system", as(RealmClient.SHAANXI_SYSTEM));
        identities.put("auditor", as(RealmClient.MINISTRY_AUDITOR));
        identities.put("operator", as(RealmClient.HUB_OPERATOR));
        identities.put("no-role", as(RealmClient.NO_ROLE_CLIENT));
        assertThat(RoleMatrix.mismatches(channel, identities, SecurityMatrixTest.ALLOWED)).isEmpty();
    }

    @Test
    void forgedOrForeignTokensAreUnauthenticatedAndApplyNothing() throws Exception {
        String genuine = KEYCLOAK.accessToken(RealmClient.CHECKPOINT_XIAN_NORTH);
        SignedJWT parsed = SignedJWT.parse(genuine);
        JWTClaimsSet asProvince = new JWTClaimsSet.Builder(parsed.getJWTClaimsSet())
                .claim("realm_access", Map.of("roles", List.of("province-system"))).build();
        RSAKey realmKey = (RSAKey) JWKSet.load(new URL(KEYCLOAK.jwksUri(KeycloakServer.TONGXING).toString()))
                .getKeyByKeyId(parsed.getHeader().getKeyID());
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(realmKey.getKeyID()).build(), asProvince);
        hmac.sign(new MACSigner(realmKey.toRSAPublicKey().getEncoded()));

        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("from another realm", KEYCLOAK.accessToken(RealmClient.OTHER_REALM_SHAANXI_SYSTEM));
        tokens.put("alg none", new PlainJWT(asProvince).serialize());
        tokens.put("HS256 keyed with the realm's public key", hmac.serialize());
        String[] parts = genuine.split("\\.");
        tokens.put("tampered payload", parts[0] + "." + Base64URL.encode(asProvince.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);

        int before = storedChanges();
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            assertThat(RpcProbe.call(channel, PUBLISH_STATUS_CHANGES, TestIssuer.bearer(token.getValue())))
                    .as(token.getKey()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        assertThat(storedChanges()).isEqualTo(before);
    }

    @Test
    void aTokenForAnotherAudienceOrWithoutTheRoleIsRefused() {
        String clientId = "other-service";
        KEYCLOAK.admin("POST", "/admin/realms/" + KeycloakServer.TONGXING + "/clients", Map.of(
                "clientId", clientId, "enabled", true, "publicClient", false, "secret", "dev-only-other-service-secret",
                "serviceAccountsEnabled", true, "standardFlowEnabled", false, "directAccessGrantsEnabled", false));
        KEYCLOAK.grantRealmRole(KeycloakServer.TONGXING, clientId, "checkpoint");
        String otherAudience = KEYCLOAK.accessToken(KeycloakServer.TONGXING, clientId, "dev-only-other-service-secret");
        assertThat(RpcProbe.call(channel, GET_STATUS, TestIssuer.bearer(otherAudience))).isEqualTo(Status.Code.UNAUTHENTICATED);

        assertThat(RpcProbe.call(channel, GET_STATUS, as(RealmClient.NO_ROLE_CLIENT))).isEqualTo(Status.Code.PERMISSION_DENIED);
    }

    @Test
    void provinceAPublishingForProvinceBsResidentIsDeniedWithOrWithoutIssuingProvince() {
        CallCredentials guangdong = as(RealmClient.GUANGDONG_SYSTEM);
        var shaanxiResident = RpcProbe.shaanxiResident();
        int before = storedChanges();
        assertThat(RpcProbe.publish(channel, guangdong, RpcProbe.change(shaanxiResident, "")).getOutcome()).isEqualTo(ChangeAck.Outcome.DENIED);
        assertThat(RpcProbe.publish(channel, guangdong, RpcProbe.change(shaanxiResident.toBuilder().setIssuingProvince("44").build(), "44"))
                .getOutcome()).isEqualTo(ChangeAck.Outcome.DENIED);
        assertThat(storedChanges()).isEqualTo(before);
        assertThat(RpcProbe.publish(channel, as(RealmClient.SHAANXI_SYSTEM), RpcProbe.change(shaanxiResident, "")).getOutcome())
                .isEqualTo(ChangeAck.Outcome.APPLIED);
    }

    @Test
    void anExpiredRealmTokenIsRefused() throws InterruptedException {
        KEYCLOAK.setAccessTokenLifespan(KeycloakServer.TONGXING, 2);
        String shortLived;
        try {
            shortLived = KEYCLOAK.accessToken(RealmClient.CHECKPOINT_XIAN_NORTH);
        } finally {
            KEYCLOAK.setAccessTokenLifespan(KeycloakServer.TONGXING, 300);
        }
        assertThat(RpcProbe.call(channel, GET_STATUS, TestIssuer.bearer(shortLived))).isEqualTo(Status.Code.OK);
        Thread.sleep(3_500);
        assertThat(RpcProbe.call(channel, GET_STATUS, TestIssuer.bearer(shortLived))).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void theRealmRotatesItsSigningKeyWithoutAHubRestart() {
        CallCredentials before = as(RealmClient.CHECKPOINT_XIAN_NORTH);
        assertThat(RpcProbe.call(channel, GET_STATUS, before)).isEqualTo(Status.Code.OK);
        String newKid = KEYCLOAK.rotateSigningKey(KeycloakServer.TONGXING);
        String after = KEYCLOAK.accessToken(RealmClient.CHECKPOINT_XIAN_NORTH);
        assertThat(after).isNotNull();
        assertThat(RpcProbe.call(channel, GET_STATUS, TestIssuer.bearer(after))).isEqualTo(Status.Code.OK);
        assertThat(newKid).isNotBlank();
    }

    private int storedChanges() {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM applied_change", Integer.class);
        return count == null ? 0 : count;
    }
}
