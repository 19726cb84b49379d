package dev.tongxing.api.offline;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.ProvinceKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The national signed health-code format: {@code TX1:} followed by a JWS in compact serialization
 * (RFC 7515), ES256 (ECDSA P-256, SHA-256), so the QR code stays small (about 270 characters) and
 * any JOSE library can check it.
 *
 * <p>Protected header: exactly {@code {"alg":"ES256","kid":"<key id>"}}. Anything else in the
 * header ({@code jwk}, {@code jku}, {@code x5u}, {@code crit}, another algorithm or {@code none})
 * is refused before any key is looked at: the verifier's keys come from the trust list only.
 *
 * <p>Payload: UTF-8 JSON with exactly these claims: {@code iss} (province, GB/T 2260 two digits),
 * {@code nam} (masked name), {@code doc} ({@link DocumentDigest}), {@code col} ({@code G},
 * {@code Y} or {@code R}), {@code iat} and {@code exp} (epoch seconds). Unknown or repeated
 * claims are refused. Nothing the payload says is used unless the signature verifies against a
 * key the trust list names, and that key must be of the claimed province.
 */
public final class SignedCodes {

    public static final String PREFIX = "TX1:";
    public static final String ALGORITHM = "ES256";
    /** Longest code accepted; a real one is under 300 characters. */
    public static final int MAX_LENGTH = 1024;
    /** Longest validity a province may give a code: a stolen code is a replay for at most this long. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(7);
    /** Clocks of provinces and checkpoints differ; a code this far in the future is still taken. */
    public static final Duration SKEW = Duration.ofMinutes(1);

    private static final Set<String> HEADER = Set.of("alg", "kid");
    private static final Set<String> CLAIMS = Set.of("iss", "nam", "doc", "col", "iat", "exp");
    private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final int SIGNATURE_BYTES = 64;
    private static final Pattern PROVINCE = Pattern.compile("\\d\\d");
    /** 9999-12-31T23:59:59Z: later "times" are not times, and would overflow the clock's arithmetic. */
    private static final long LATEST_SECOND = 253402300799L;
    private static final int MAX_NAME = 32;

    private SignedCodes() {}

    /** True when the payload is of this format (it may still be refused). */
    public static boolean isSignedCode(String payload) {
        return payload.startsWith(PREFIX);
    }

    /** Signs a code as its province does. The claims' key id goes into the protected header. */
    public static String sign(SignedCode code, ECPrivateKey key) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", code.province());
        claims.put("nam", code.maskedName());
        claims.put("doc", code.document().encode());
        claims.put("col", letter(code.colour()));
        claims.put("iat", code.issuedAt().getEpochSecond());
        claims.put("exp", code.expiresAt().getEpochSecond());
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(code.keyId()).build(),
                new Payload(JSONObjectUtils.toJSONString(claims)));
        try {
            jws.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with this key: " + e.getMessage(), e);
        }
        return PREFIX + jws.serialize();
    }

    /**
     * Verifies a scanned code against the trusted keys at the given moment.
     *
     * @throws CodeRefused saying why the code is not accepted; never any other exception
     */
    public static SignedCode verify(String payload, ProvinceKeys keys, Instant now) {
        if (!isSignedCode(payload)) {
            throw new CodeRefused("not a signed code (it does not start with " + PREFIX + ")");
        }
        if (payload.length() > MAX_LENGTH) {
            throw new CodeRefused("signed code is longer than " + MAX_LENGTH + " characters");
        }
        String compact = payload.substring(PREFIX.length());
        if (!COMPACT.matcher(compact).matches()) {
            throw new CodeRefused("signed code is not a JWS in compact form (three base64url parts)");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(compact);
        } catch (java.text.ParseException | RuntimeException e) {
            throw new CodeRefused("signed code is not a JWS in compact form");
        }
        JWSHeader header = jws.getHeader();
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw new CodeRefused("signed code uses algorithm '" + Printable.of(String.valueOf(header.getAlgorithm())) + "'; only ES256 is accepted");
        }
        if (!HEADER.containsAll(header.getIncludedParams())) {
            throw new CodeRefused("signed code header carries more than alg and kid; keys come from the trust list only");
        }
        String kid = header.getKeyID();
        if (kid == null || kid.isEmpty()) {
            throw new CodeRefused("signed code names no key id (kid)");
        }
        TrustedKey key = keys.get(kid).orElseThrow(() -> new CodeRefused("key id '" + Printable.of(kid) + "' is not in the trust list"));
        if (key.status() == ProvinceKey.Status.REVOKED) {
            throw new CodeRefused("key " + key.keyId() + " of province " + key.province() + " is revoked; no code signed with it is accepted");
        }
        if (jws.getSignature().decode().length != SIGNATURE_BYTES) {
            throw new CodeRefused("signature is not " + SIGNATURE_BYTES + " bytes (ES256 is r||s)");
        }
        // The strict (and fuzzed) claims reader runs before the signature check, so that garbage
        // costs no ECDSA verification; nothing read is used unless the signature then verifies.
        SignedCode code = claims(jws.getPayload().toString(), kid);
        boolean verified;
        try {
            verified = jws.verify(new ECDSAVerifier(key.publicKey()));
        } catch (JOSEException | RuntimeException e) {
            verified = false;
        }
        if (!verified) {
            throw new CodeRefused("signature does not verify with key " + key.keyId() + " (forged or altered code)");
        }
        if (!code.province().equals(key.province())) {
            throw new CodeRefused("code claims province " + code.province() + " but key " + key.keyId()
                    + " belongs to province " + key.province());
        }
        if (!key.covers(code.issuedAt())) {
            throw new CodeRefused("code was issued at " + code.issuedAt() + ", outside key " + key.keyId() + "'s validity ["
                    + key.validFrom() + ", " + key.validUntil().map(Instant::toString).orElse("open") + "]");
        }
        if (code.issuedAt().isAfter(now.plus(SKEW))) {
            throw new CodeRefused("code was issued in the future (" + code.issuedAt() + ")");
        }
        if (!code.expiresAt().isAfter(now)) {
            throw new CodeRefused("code expired at " + code.expiresAt() + "; ask the traveler to refresh it");
        }
        return code;
    }

    /**
     * Reads the claims of a payload whose signature has verified. Public for the fuzz test, which
     * feeds it mutated claims directly (re-signing 100,000 payloads would measure ECDSA, not the parser).
     *
     * @throws CodeRefused naming the claim at fault; never any other exception
     */
    public static SignedCode claims(String json, String keyId) {
        Map<String, Object> claims;
        try {
            claims = JSONObjectUtils.parse(json);
        } catch (java.text.ParseException | RuntimeException e) {
            throw new CodeRefused("signed code payload is not a JSON object (or repeats a claim)");
        }
        if (!CLAIMS.equals(claims.keySet())) {
            throw new CodeRefused("signed code must carry exactly the claims " + CLAIMS.stream().sorted().toList());
        }
        String province = text(claims, "iss");
        if (!PROVINCE.matcher(province).matches()) {
            throw new CodeRefused("claim 'iss' is not a two-digit province code");
        }
        String name = text(claims, "nam");
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new CodeRefused("claim 'nam' must be 1 to " + MAX_NAME + " printable characters");
        }
        DocumentDigest document;
        try {
            document = DocumentDigest.decode(text(claims, "doc"));
        } catch (IllegalArgumentException e) {
            throw new CodeRefused("claim 'doc' is not a document digest (" + DocumentDigest.ENCODED_LENGTH + " base64url characters)");
        }
        HealthCodeColour colour = switch (text(claims, "col")) {
            case "G" -> HealthCodeColour.GREEN;
            case "Y" -> HealthCodeColour.YELLOW;
            case "R" -> HealthCodeColour.RED;
            default -> throw new CodeRefused("claim 'col' is not G, Y or R");
        };
        Instant issuedAt = seconds(claims, "iat");
        Instant expiresAt = seconds(claims, "exp");
        if (!expiresAt.isAfter(issuedAt)) {
            throw new CodeRefused("claim 'exp' is not after 'iat'");
        }
        if (Duration.between(issuedAt, expiresAt).compareTo(MAX_LIFETIME) > 0) {
            throw new CodeRefused("code is valid for longer than " + MAX_LIFETIME.toDays() + " days ('exp' - 'iat')");
        }
        return new SignedCode(province, keyId, name, document, colour, issuedAt, expiresAt);
    }

    private static String text(Map<String, Object> claims, String name) {
        if (claims.get(name) instanceof String value) {
            return value;
        }
        throw new CodeRefused("claim '" + name + "' is not a string");
    }

    /** A huge, negative, fractional or non-numeric time is refused here, before any arithmetic. */
    private static Instant seconds(Map<String, Object> claims, String name) {
        if (claims.get(name) instanceof Long value && value >= 0 && value <= LATEST_SECOND) {
            return Instant.ofEpochSecond(value);
        }
        throw new CodeRefused("claim '" + name + "' is not a time in whole seconds between 1970 and 9999");
    }

    static String letter(HealthCodeColour colour) {
        return switch (colour) {
            case GREEN -> "G";
            case YELLOW -> "Y";
            case RED -> "R";
            default -> throw new IllegalArgumentException("only a GREEN, YELLOW or RED code can be signed");
        };
    }
}
