package dev.tongxing.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.tongxing.hub.support.MutableClock;
import dev.tongxing.hub.support.TestIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A token verified before is known again from the authorization header as sent, on every thread,
 * for no longer than it is remembered and never past its expiry; a header that differs from the
 * last one a thread looked up is looked up itself.
 */
class RememberedTokensTest {

    private final TestIssuer issuer = TestIssuer.get();
    private final MutableClock clock = new MutableClock(Instant.now());
    private final AccessTokenVerifier tokens = new AccessTokenVerifier(issuer.issuer(), TestIssuer.AUDIENCE, List.of("RS256"), "province",
            Duration.ofSeconds(30), new ImmutableJWKSet<>(new JWKSet(issuer.publishedKeys().stream()
                    .map(key -> (JWK) key.toPublicJWK()).collect(Collectors.toList()))), clock);

    @Test
    void aHeaderIsKnownOnlyOnceItsTokenWasVerified() throws Exception {
        String token = issuer.token("checkpoint-a", "61", Role.CHECKPOINT);

        assertThat(tokens.rememberedFor("Bearer " + token)).isEmpty();
        tokens.verify(token);

        assertThat(tokens.rememberedFor("Bearer " + token)).map(Caller::clientId).contains("checkpoint-a");
        assertThat(tokens.rememberedFor(new String("Bearer " + token))).map(Caller::clientId).contains("checkpoint-a");
        assertThat(tokens.rememberedFor(null)).isEmpty();
        assertThat(tokens.rememberedFor(token)).isEmpty();
    }

    @Test
    void eachHeaderIsItsOwnCallerWhicheverCameLastOnThisThread() throws Exception {
        String first = issuer.token("checkpoint-first", "61", Role.CHECKPOINT);
        String second = issuer.token("checkpoint-second", "31", Role.CHECKPOINT);
        tokens.verify(first);
        tokens.verify(second);

        for (int round = 0; round < 2; round++) {
            assertThat(tokens.rememberedFor("Bearer " + first)).map(Caller::clientId).contains("checkpoint-first");
            assertThat(tokens.rememberedFor("Bearer " + second)).map(Caller::clientId).contains("checkpoint-second");
            assertThat(tokens.rememberedFor("Bearer " + issuer.token("never-verified", "61", Role.CHECKPOINT))).isEmpty();
        }
    }

    @Test
    void aTokenIsForgottenAfterAMinuteEvenWhenItWasTheLastHeaderLookedUp() throws Exception {
        String token = issuer.token("checkpoint-a", "61", Role.CHECKPOINT);
        tokens.verify(token);
        assertThat(tokens.rememberedFor("Bearer " + token)).isPresent();

        clock.advance(Duration.ofSeconds(61));

        assertThat(tokens.rememberedFor("Bearer " + token)).isEmpty();
    }

    @Test
    void anExpiredTokenIsNeverKnownEvenWhenItWasTheLastHeaderLookedUp() throws Exception {
        String token = issuer.token("checkpoint-a", "61", claims -> claims.expirationTime(java.util.Date.from(clock.instant().plusSeconds(20))),
                Role.CHECKPOINT);
        tokens.verify(token);
        assertThat(tokens.rememberedFor("Bearer " + token)).isPresent();

        clock.advance(Duration.ofSeconds(51));

        assertThat(tokens.rememberedFor("Bearer " + token)).isEmpty();
    }
}
