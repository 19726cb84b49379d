package dev.tongxing.hub.security.development;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.hub.security.SecurityProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * DEVELOPMENT ONLY. In demo mode with no identity provider configured, the hub issues its own
 * access tokens so that the demo runs with one command and still exercises the same validation as
 * production: a key pair generated at every start (nothing on disk, nothing in the artifact), the
 * clients listed under {@code tongxing.security.development.clients}, and tokens shaped like
 * Keycloak's (issuer, audience, {@code azp}, {@code realm_access.roles}, {@code province}). The hub
 * refuses to start with it outside demo mode.
 */
public final class DevelopmentIdentity {

    /** Says what it is wherever a token is inspected. */
    public static final String ISSUER = "http://127.0.0.1/tongxing-development-identity";

    private final RSAKey key;
    private final SecurityProperties.Development settings;
    private final String audience;
    private final Clock clock;

    public DevelopmentIdentity(SecurityProperties properties, Clock clock) {
        try {
            this.key = new RSAKeyGenerator(2048).keyID("development-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the development identity's key", e);
        }
        this.settings = properties.development();
        this.audience = properties.audience();
        this.clock = clock;
    }

    /** The public half, for the hub's own token validation. */
    public JWKSource<SecurityContext> keys() {
        return new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()));
    }

    /** A token for a configured client whose secret matches; empty otherwise. */
    public Optional<IssuedToken> issue(String clientId, String secret) {
        SecurityProperties.DevelopmentClient client = settings.clients().get(clientId);
        if (client == null || secret == null || !MessageDigest.isEqual(
                client.secret().getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Duration ttl = settings.tokenTtl();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(audience)
                .subject("service-account-" + clientId)
                .claim("azp", clientId)
                .claim("realm_access", Map.of("roles", client.roles()))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString());
        if (!client.province().isEmpty()) {
            claims.claim("province", client.province());
        }
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            token.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
        return Optional.of(new IssuedToken(token.serialize(), ttl));
    }

    public record IssuedToken(String accessToken, Duration expiresIn) {}
}
