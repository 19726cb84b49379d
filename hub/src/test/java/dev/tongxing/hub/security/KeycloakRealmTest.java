package dev.tongxing.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.hub.support.KeycloakServer;
import dev.tongxing.hub.support.RealmClient;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The realm the hub trusts issues exactly the tokens the hub's authorization relies on: signed
 * RS256 with a key id, from the realm's issuer, for the hub's audience, naming the client, with the
 * designed realm roles and province. Proves the test Keycloak and the realm file together.
 */
class KeycloakRealmTest {

    private final KeycloakServer keycloak = KeycloakServer.get();

    @ParameterizedTest
    @EnumSource(RealmClient.class)
    void eachClientGetsTheDesignedAccessToken(RealmClient client) throws Exception {
        SignedJWT token = SignedJWT.parse(keycloak.accessToken(client));
        JWTClaimsSet claims = token.getJWTClaimsSet();

        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(token.getHeader().getKeyID()).isNotBlank();
        assertThat(claims.getIssuer()).isEqualTo(keycloak.issuer(client.realm()));
        assertThat(claims.getAudience()).contains(KeycloakServer.HUB_AUDIENCE);
        assertThat(claims.getStringClaim("azp")).isEqualTo(client.clientId());
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
        assertThat(realmRoles(claims)).isEqualTo(client.realmRoles());
        if (client.province().isPresent()) {
            assertThat(claims.getStringClaim("province")).isEqualTo(client.province().get());
        } else {
            assertThat(claims.getClaims()).doesNotContainKey("province");
        }
    }

    @Test
    void tokensVerifyAgainstTheRealmsOwnKeysOnly() throws Exception {
        SignedJWT tongxing = SignedJWT.parse(keycloak.accessToken(RealmClient.SHAANXI_SYSTEM));
        SignedJWT other = SignedJWT.parse(keycloak.accessToken(RealmClient.OTHER_REALM_SHAANXI_SYSTEM));
        JWKSet tongxingKeys = JWKSet.load(keycloak.jwksUri(KeycloakServer.TONGXING).toURL());

        assertThat(tongxing.verify(new RSASSAVerifier(
                tongxingKeys.getKeyByKeyId(tongxing.getHeader().getKeyID()).toRSAKey()))).isTrue();
        assertThat(tongxingKeys.getKeyByKeyId(other.getHeader().getKeyID()))
                .as("the other realm signs with keys the tongxing realm does not publish").isNull();
        assertThat(other.getJWTClaimsSet().getIssuer()).isNotEqualTo(keycloak.issuer(KeycloakServer.TONGXING));
    }

    @Test
    void aWrongSecretIsRefused() {
        KeycloakServer.TokenResponse response = keycloak.requestToken(
                KeycloakServer.TONGXING, RealmClient.SHAANXI_SYSTEM.clientId(), "not-the-secret");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.accessToken()).isEmpty();
    }

    @Test
    void aDisabledClientGetsNoToken() {
        RealmClient client = RealmClient.NO_ROLE_CLIENT;
        keycloak.setClientEnabled(client.realm(), client.clientId(), false);
        try {
            assertThat(keycloak.requestToken(client.realm(), client.clientId(), client.secret()).status())
                    .isIn(400, 401);
        } finally {
            keycloak.setClientEnabled(client.realm(), client.clientId(), true);
        }
        assertThat(keycloak.accessToken(client)).isNotBlank();
    }

    /** Rotates in realm {@code other}, so the tongxing realm's keys stay as other tests found them. */
    @Test
    void afterRotationNewTokensCarryANewKidAndTheJwksServesBoth() throws Exception {
        RealmClient client = RealmClient.OTHER_REALM_SHAANXI_SYSTEM;
        String before = SignedJWT.parse(keycloak.accessToken(client)).getHeader().getKeyID();

        String rotated = keycloak.rotateSigningKey(client.realm());
        String after = SignedJWT.parse(keycloak.accessToken(client)).getHeader().getKeyID();

        assertThat(after).isEqualTo(rotated).isNotEqualTo(before);
        assertThat(keycloak.currentSigningKid(client.realm())).isEqualTo(after);
        Set<String> signingKids = new HashSet<>();
        for (JWK key : JWKSet.load(keycloak.jwksUri(client.realm()).toURL()).getKeys()) {
            if (KeyUse.SIGNATURE.equals(key.getKeyUse())) {
                signingKids.add(key.getKeyID());
            }
        }
        assertThat(signingKids).contains(before, after);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> realmRoles(JWTClaimsSet claims) throws Exception {
        Map<String, Object> realmAccess = claims.getJSONObjectClaim("realm_access");
        if (realmAccess == null) {
            return Set.of();
        }
        return Set.copyOf((List<String>) realmAccess.get("roles"));
    }
}
