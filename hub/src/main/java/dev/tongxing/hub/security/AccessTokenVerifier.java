package dev.tongxing.hub.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tongxing.hub.lookup.Provinces;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks an OIDC access token locally and says who it names: signature against the realm's keys
 * (asymmetric algorithms only), issuer, audience, expiry and not-before with a small skew. This is
 * the hub's adapter to Keycloak, built on Nimbus JOSE+JWT since Keycloak's own Java adapters are
 * deprecated.
 *
 * <p>A verified token is remembered for at most a minute, keyed by the token itself, so a
 * checkpoint's scans do not pay for an RSA verification each; expiry is still checked on every use.
 */
public final class AccessTokenVerifier {

    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String provinceClaim;
    private final Duration skew;
    private final Clock clock;
    private static final Duration REMEMBERED_FOR = Duration.ofMinutes(1);
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterWrite(REMEMBERED_FOR)
            .build();
    /**
     * The authorization header each thread last found remembered, and what it found: a
     * checkpoint's connection stays on one transport thread and sends the same header with every
     * call, so comparing it with the last one is enough, where cutting the token out of it copied a
     * kilobyte or more a call.
     */
    private final ThreadLocal<LastFound> lastFound = new ThreadLocal<>();

    private record LastFound(String authorization, Verified verified) {}

    public AccessTokenVerifier(String issuer, String audience, Collection<String> algorithms, String provinceClaim,
                               Duration skew, JWKSource<SecurityContext> keys, Clock clock) {
        Set<JWSAlgorithm> accepted = algorithms.stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(accepted, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "azp")) {
            @Override
            protected java.util.Date currentTime() {
                return java.util.Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew((int) skew.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        this.provinceClaim = provinceClaim;
        this.skew = skew;
        this.clock = clock;
    }

    /** The token of an {@code Authorization: Bearer <token>} header; empty for any other form. */
    public static Optional<String> bearerToken(String authorization) {
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(7).strip());
    }

    public Caller verify(String token) throws InvalidAccessToken {
        if (token.isEmpty()) {
            throw new InvalidAccessToken("access token is empty");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidAccessToken("access token is longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        Instant now = clock.instant();
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            if (now.isAfter(known.expiresAt().plus(skew))) {
                verified.invalidate(token);
                throw new InvalidAccessToken("access token expired");
            }
            return known.caller();
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidAccessToken("access token is not a JWT");
        } catch (BadJWTException e) {
            throw new InvalidAccessToken(describe(e));
        } catch (BadJOSEException e) {
            throw new InvalidAccessToken(describe(e));
        } catch (JOSEException e) {
            throw new InvalidAccessToken("access token could not be checked: " + e.getClass().getSimpleName());
        }
        Caller caller = callerOf(claims);
        verified.put(token, new Verified(caller, claims.getExpirationTime().toInstant(), clock.instant().plus(REMEMBERED_FOR)));
        return caller;
    }

    /**
     * The caller of a token verified before and not yet expired, without verifying anything now:
     * no signature check, no key fetch. Empty when the token would need {@link #verify}.
     */
    public Optional<Caller> remembered(String token) {
        return usable(verified.getIfPresent(token));
    }

    /** As {@link #remembered}, for an authorization header as sent ({@code Bearer <token>}); empty for null. */
    public Optional<Caller> rememberedFor(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        LastFound last = lastFound.get();
        if (last != null && last.authorization().equals(authorization)) {
            return usable(last.verified());
        }
        Verified known = bearerToken(authorization).map(verified::getIfPresent).orElse(null);
        if (known != null) {
            lastFound.set(new LastFound(authorization, known));
        }
        return usable(known);
    }

    private Optional<Caller> usable(Verified known) {
        if (known == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return now.isAfter(known.expiresAt().plus(skew)) || !now.isBefore(known.rememberedUntil()) ? Optional.empty() : Optional.of(known.caller());
    }

    private Caller callerOf(JWTClaimsSet claims) throws InvalidAccessToken {
        String province;
        try {
            province = claims.getStringClaim(provinceClaim);
        } catch (ParseException e) {
            throw new InvalidAccessToken("access token's " + provinceClaim + " claim is not a string");
        }
        if (province != null && !Provinces.isKnown(province)) {
            throw new InvalidAccessToken("access token's " + provinceClaim + " claim is not a GB/T 2260 province code");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Object realmAccess = claims.getClaim("realm_access");
        if (realmAccess instanceof Map<?, ?> access && access.get("roles") instanceof Collection<?> names) {
            for (Object name : names) {
                if (name instanceof String role) {
                    Role.ofRealmRole(role).ifPresent(roles::add);
                }
            }
        }
        String clientId;
        try {
            clientId = claims.getStringClaim("azp");
        } catch (ParseException e) {
            throw new InvalidAccessToken("access token's azp claim is not a string");
        }
        if (clientId == null || clientId.isBlank() || clientId.length() > 255) {
            throw new InvalidAccessToken("access token names no client (azp)");
        }
        return new Caller(claims.getSubject(), clientId, roles, Optional.ofNullable(province));
    }

    /** Nimbus's messages, reworded for a caller's operators; they never carry request data. */
    private static String describe(BadJOSEException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Expired JWT")) {
            return "access token expired";
        }
        if (message.contains("before use time")) {
            return "access token is not valid yet (nbf)";
        }
        if (message.contains("audience")) {
            return "access token is not meant for this hub (aud)";
        }
        if (message.contains("iss claim")) {
            return "access token is from an issuer this hub does not trust (iss)";
        }
        if (message.contains("missing required claims")) {
            return "access token lacks required claims: " + message.replaceFirst(".*claims: ", "");
        }
        if (message.contains("Unsecured") || message.contains("plain")) {
            return "unsigned access tokens are refused";
        }
        if (message.contains("Invalid signature")) {
            return "access token signature does not verify";
        }
        if (message.contains("Another algorithm expected") || message.contains("no matching key")) {
            return "access token is signed with an algorithm or key this hub does not accept";
        }
        if (message.contains("JWE")) {
            return "encrypted access tokens are not accepted";
        }
        return "access token refused";
    }

    /** A verified token's caller, until its expiry; trusted without verifying again until {@code rememberedUntil}. */
    private record Verified(Caller caller, Instant expiresAt, Instant rememberedUntil) {}
}
