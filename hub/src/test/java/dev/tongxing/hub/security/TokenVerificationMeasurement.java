package dev.tongxing.hub.security;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.tongxing.hub.support.TestIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the token check costs a call, on its own: the first verification of a token (RS256 against
 * the realm's key, claims) and every later call with the same token (the verified-token cache).
 * A measurement, not a test: it runs only with {@code -Dtongxing.measure=true} and asserts nothing.
 */
class TokenVerificationMeasurement {

    @Test
    void measure() throws Exception {
        assumeTrue(Boolean.getBoolean("tongxing.measure"), "measurement runs only with -Dtongxing.measure=true");
        TestIssuer issuer = TestIssuer.get();
        AccessTokenVerifier verifier = new AccessTokenVerifier(issuer.issuer(), TestIssuer.AUDIENCE, List.of("RS256"), "province",
                Duration.ofSeconds(30), new ImmutableJWKSet<>(new JWKSet(issuer.publishedKeys().stream()
                        .map(key -> (com.nimbusds.jose.jwk.JWK) key.toPublicJWK()).collect(Collectors.toList()))), Clock.systemUTC());
        int fresh = 4_000;
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < fresh; i++) {
            tokens.add(issuer.token("checkpoint-" + i, "61", Role.CHECKPOINT));
        }
        for (int i = 0; i < 1_000; i++) {
            verifier.verify(tokens.get(i));   // warm-up
        }
        long start = System.nanoTime();
        for (int i = 1_000; i < fresh; i++) {
            verifier.verify(tokens.get(i));
        }
        double firstMicros = (System.nanoTime() - start) / 1_000.0 / (fresh - 1_000);
        String token = tokens.get(0);
        int repeats = 2_000_000;
        start = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            verifier.verify(token);
        }
        double cachedNanos = (System.nanoTime() - start) / (double) repeats;
        System.out.printf("token verification: first use %.1f us per token, later calls %.0f ns per call%n", firstMicros, cachedNanos);
    }
}
