package dev.tongxing.hub.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.tongxing.api.access.AccessToken;
import dev.tongxing.hub.security.Role;
import io.grpc.CallCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * An identity provider for hub tests that do not need the real Keycloak: it publishes its keys as
 * a JWKS over real HTTP on loopback (at Keycloak's path), and signs tokens shaped like Keycloak's.
 * The hub validates them through exactly the production path (remote JWKS, issuer, audience).
 * The role matrix against the real Keycloak lives in {@code KeycloakRoleMatrixTest}.
 */
public final class TestIssuer {

    public static final String AUDIENCE = "tongxing-hub";
    private static final TestIssuer INSTANCE = new TestIssuer();

    private final HttpServer server;
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private volatile RSAKey signing;

    private TestIssuer() {
        signing = newKey();
        published.add(signing);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/realms/test/protocol/openid-connect/certs", exchange -> {
            List<JWK> keys = new ArrayList<>();
            published.forEach(key -> keys.add(key.toPublicJWK()));
            byte[] body = new JWKSet(keys).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public static TestIssuer get() {
        return INSTANCE;
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
    }

    /** Points a test hub at this issuer. */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("tongxing.security.issuer", INSTANCE::issuer);
        registry.add("tongxing.security.jwks-refresh-min-interval", () -> "50ms");
    }

    /** A valid token for a client with the given province (null for none) and roles. */
    public String token(String clientId, String province, Role... roles) {
        return sign(claims(clientId, province, roles).build());
    }

    /** A token whose claims a test changes (expired, wrong audience, ...), signed with the current key. */
    public String token(String clientId, String province, UnaryOperator<JWTClaimsSet.Builder> change, Role... roles) {
        return sign(change.apply(claims(clientId, province, roles)).build());
    }

    public JWTClaimsSet.Builder claims(String clientId, String province, Role... roles) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .audience(List.of(AUDIENCE, "account"))
                .subject(UUID.nameUUIDFromBytes(clientId.getBytes(StandardCharsets.UTF_8)).toString())
                .claim("azp", clientId)
                .claim("realm_access", Map.of("roles", Arrays.stream(roles).map(Role::realmRole).toList()))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .jwtID(UUID.randomUUID().toString());
        if (province != null) {
            claims.claim("province", province);
        }
        return claims;
    }

    public String sign(JWTClaimsSet claims) {
        return sign(claims, signing);
    }

    public static String sign(JWTClaimsSet claims, RSAKey key) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public List<RSAKey> publishedKeys() {
        return List.copyOf(published);
    }

    /** Publishes a new key beside the old one and signs with it from now on. */
    public RSAKey rotate() {
        RSAKey next = newKey();
        published.add(next);
        signing = next;
        return next;
    }

    public static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("test-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the token as {@code authorization: Bearer ...} on every call. */
    public static CallCredentials bearer(String token) {
        return AccessToken.of(token);
    }

    /** The usual demo checkpoint (Xi'an North, province 61). */
    public static final String CHECKPOINT = "checkpoint-xian-north";

    /** The hub operator's credentials (region health). */
    public static CallCredentials operator() {
        return bearer(INSTANCE.token("hub-operator", null, Role.OPERATOR));
    }

    public String checkpointToken() {
        return token(CHECKPOINT, "61", Role.CHECKPOINT);
    }
}
