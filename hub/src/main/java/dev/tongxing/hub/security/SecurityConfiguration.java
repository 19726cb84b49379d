package dev.tongxing.hub.security;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.tongxing.hub.security.development.ConditionalOnDevelopmentIdentity;
import dev.tongxing.hub.security.development.DevelopmentIdentity;
import java.net.MalformedURLException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Assembles the token check: the realm's keys fetched from its JWKS in production, or the
 * development identity's generated key in demo mode. Without an issuer and outside demo mode the
 * hub does not start: it never serves calls it cannot attribute.
 */
@Configuration
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    @ConditionalOnDevelopmentIdentity
    DevelopmentIdentity developmentIdentity(SecurityProperties properties, Clock clock) {
        return new DevelopmentIdentity(properties, clock);
    }

    @Bean
    AccessTokenVerifier accessTokenVerifier(SecurityProperties properties, ObjectProvider<DevelopmentIdentity> development, Clock clock) {
        if (properties.usesIssuer()) {
            log.info("access tokens: issuer {}, keys from {}", properties.issuer(), properties.jwksUri());
            return new AccessTokenVerifier(properties.issuer(), properties.audience(), properties.algorithms(),
                    properties.provinceClaim(), properties.clockSkew(), realmKeys(properties), clock);
        }
        DevelopmentIdentity identity = development.getIfAvailable();
        if (identity == null) {
            throw new IllegalStateException("tongxing.security.issuer is required outside demo mode: set it to the "
                    + "identity provider's realm issuer URL (for example https://sso.example/realms/tongxing)");
        }
        log.warn("DEVELOPMENT IDENTITY: this hub issues its own access tokens (demo mode, no tongxing.security.issuer). "
                + "Never expose it beyond loopback.");
        return new AccessTokenVerifier(DevelopmentIdentity.ISSUER, properties.audience(), List.of("RS256"),
                properties.provinceClaim(), properties.clockSkew(), identity.keys(), clock);
    }

    @Bean
    AuthenticationInterceptor authenticationInterceptor(AccessTokenVerifier verifier, SecurityProperties properties,
                                                        ObjectProvider<CallRefusals> refusals) {
        return new AuthenticationInterceptor(verifier, properties.mtls().requireForProvinces(), refusals.getIfAvailable(() -> CallRefusals.NONE));
    }

    /**
     * The realm's signing keys, cached and refreshed: a token signed with a key id not yet seen makes
     * Nimbus fetch the set again (at most once per {@code jwks-refresh-min-interval}), so the realm
     * can rotate keys without a hub restart; retried once, and bounded in time and size.
     */
    private static JWKSource<SecurityContext> realmKeys(SecurityProperties properties) {
        try {
            return JWKSourceBuilder.<SecurityContext>create(properties.jwksUri().toURL(), new DefaultResourceRetriever(2_000, 2_000, 256 * 1024))
                    .cache(properties.jwksCacheFor().toMillis(), 5_000)
                    .rateLimited(properties.jwksRefreshMinInterval().toMillis())
                    .retrying(true)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("tongxing.security.jwks-uri '" + properties.jwksUri() + "' is not a URL");
        }
    }
}
