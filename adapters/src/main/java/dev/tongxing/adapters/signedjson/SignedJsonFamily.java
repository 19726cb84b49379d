package dev.tongxing.adapters.signedjson;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongxing.adapters.ClockedFamily;
import dev.tongxing.adapters.Masking;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.StrictJson;
import dev.tongxing.adapters.StrictReply;
import dev.tongxing.adapters.UpstreamReply;
import dev.tongxing.adapters.UpstreamRequest;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signed nested-JSON family, as Shanghai's 随申码 answers: the province signs every answer, so
 * the hub believes only what verifies against the province's configured key.
 *
 * <p>Request: {@code POST {"certType": "ID", "certNo": "...", "mobile": "..."}}, with
 * {@code certType} {@code ID} (resident ID), {@code PP} (passport) or {@code HKMO} (HK/Macau permit).
 *
 * <p>Reply ({@code application/json}): {@code {"payload": "<base64url>", "sig": "<base64url>",
 * "alg": "ES256", "kid": "ssm-2022-01"}}. The signature is over the ASCII bytes of the
 * {@code payload} string exactly as sent (no canonicalization), in JWS form: ES256 is ECDSA P-256
 * with SHA-256 and a 64-byte {@code r||s} signature, Ed25519 a 64-byte EdDSA signature. Options:
 * {@code public-key} (SPKI, as PEM or plain base64; required), {@code kid} (the key id the province
 * signs with; required), {@code alg} ({@code ES256} by default, or {@code Ed25519}) and
 * {@code max-age} (ISO-8601 duration, default {@code PT10M}: older signed answers are replays).
 * A missing or {@code none} algorithm, another algorithm or key id, and a signature that does not
 * verify are all rejected before the payload is read.
 *
 * <p>The payload, once verified, is UTF-8 JSON:
 * <pre>{@code
 * {"result": "FOUND", "issuedAt": "2022-01-04T09:00:00+08:00",
 *  "holder": {"name": "李*", "certType": "ID", "certNo": "3101**********123X"},
 *  "code": {"color": "G", "reason": "", "validFrom": "2022-01-04T00:00:00+08:00",
 *           "validUntil": "2022-01-04T23:59:59+08:00"}}
 * }</pre>
 * {@code result} {@code NOT_FOUND} means an unknown traveler (then {@code code} is absent, but the
 * {@code holder} is still required, so a signed "not found" cannot be replayed for someone else).
 * {@code color} is a single letter: {@code G} green, {@code Y} yellow, {@code R} red. Timestamps are
 * ISO-8601 with an explicit offset (Shanghai writes {@code +08:00}); a code is accepted from
 * {@code validFrom} (one minute of clock skew allowed) until {@code validUntil} (exclusive).
 */
public final class SignedJsonFamily extends ClockedFamily {

    public static final String NAME = "signed-json";

    private static final Duration SKEW = Duration.ofMinutes(1);

    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();

    /** Uses the system clock for validity periods and replay checks. */
    public SignedJsonFamily() {
        this(Clock.systemUTC());
    }

    public SignedJsonFamily(Clock clock) {
        super(NAME, SourceKind.HEALTH_CODE, clock);
    }

    @Override
    public UpstreamRequest request(SourceQuery query, SourceSettings source) {
        return UpstreamRequest.postTravelerJson(query, "certType", documentTypeCode(query.documentType()), "certNo", "mobile");
    }

    @Override
    public SourceAnswer map(UpstreamReply reply, SourceQuery query, SourceSettings source) {
        StrictJson json = StrictJson.of(source);
        JsonNode envelope = json.object(StrictReply.text(reply, source, "application/json", StandardCharsets.UTF_8));
        byte[] payload = verified(json, envelope, source);
        JsonNode inner = json.object(StrictReply.decode(payload, StandardCharsets.UTF_8, source));
        Instant now = clock.instant();

        Instant issuedAt = json.requiredOffsetDateTime(inner, "issuedAt");
        Duration maxAge = duration(source.option("max-age", "PT10M"), "max-age", source);
        if (issuedAt.isBefore(now.minus(maxAge))) {
            throw new RejectedAnswer(source.id(), "field 'issuedAt' is older than " + maxAge + " (a replayed answer?)");
        }
        if (issuedAt.isAfter(now.plus(SKEW))) {
            throw new RejectedAnswer(source.id(), "field 'issuedAt' is in the future");
        }
        JsonNode holder = json.requiredObject(inner, "holder");
        if (!json.requiredText(holder, "certType").equals(documentTypeCode(query.documentType()))) {
            throw new RejectedAnswer(source.id(), "field 'holder.certType' names a different document than the one asked about");
        }
        Masking.requireSameDocument(json.requiredText(holder, "certNo"), query.documentNumber(), "holder.certNo", source.id());
        String result = json.requiredText(inner, "result");
        switch (result) {
            case "FOUND" -> { }
            case "NOT_FOUND" -> {
                return new SourceAnswer.NotFound(source.id(), source.id() + ": no record for this traveler");
            }
            default -> throw new RejectedAnswer(source.id(), "field 'result' has unknown value '" + StrictReply.printable(result) + "'");
        }
        JsonNode code = json.requiredObject(inner, "code");
        HealthCodeColour colour = colour(json.requiredText(code, "color"), source);
        Instant validFrom = json.requiredOffsetDateTime(code, "validFrom");
        Instant validUntil = json.requiredOffsetDateTime(code, "validUntil");
        StrictReply.requireValidAt(now, Optional.of(validFrom), validUntil, SKEW, "code.validFrom", "code.validUntil", source);
        return new SourceAnswer.HealthCode(
                source.id(),
                colour,
                json.optionalText(code, "reason"),
                Optional.of(validUntil),
                source.province(),
                issuedAt,
                json.requiredText(holder, "name"),
                Optional.empty(),
                Optional.empty());
    }

    /** Checks algorithm, key id and signature; returns the payload bytes only when all three hold. */
    private byte[] verified(StrictJson json, JsonNode envelope, SourceSettings source) {
        String expectedAlg = source.option("alg", "ES256");
        JsonNode algNode = envelope.get("alg");
        if (algNode == null || algNode.isNull() || (algNode.isTextual() && algNode.textValue().equalsIgnoreCase("none"))) {
            throw new RejectedAnswer(source.id(), "field 'alg' says the answer is unsigned");
        }
        String alg = json.requiredText(envelope, "alg");
        if (!alg.equals(expectedAlg)) {
            throw new RejectedAnswer(source.id(), "field 'alg' is '" + StrictReply.printable(alg) + "' (expected " + expectedAlg + ")");
        }
        String kid = json.requiredText(envelope, "kid");
        String expectedKid = source.option("kid", "");
        if (expectedKid.isEmpty() || !kid.equals(expectedKid)) {
            throw new RejectedAnswer(source.id(), "field 'kid' is '" + StrictReply.printable(kid) + "', not the configured key id");
        }
        String payloadText = json.requiredText(envelope, "payload");
        String sigText = json.optionalText(envelope, "sig");
        if (sigText.isEmpty()) {
            throw new RejectedAnswer(source.id(), "field 'sig' is missing: the answer is unsigned");
        }
        byte[] payload = base64url(payloadText, "payload", source);
        byte[] sig = base64url(sigText, "sig", source);
        if (sig.length != 64) {
            throw new RejectedAnswer(source.id(), "field 'sig' has " + sig.length + " bytes (expected 64 for " + alg + ")");
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(jcaName(alg, source));
            verifier.initVerify(publicKey(source, alg));
            verifier.update(payloadText.getBytes(StandardCharsets.US_ASCII));
            valid = verifier.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            valid = false;
        }
        if (!valid) {
            throw new RejectedAnswer(source.id(), "field 'sig' does not verify against key '" + expectedKid + "'");
        }
        return payload;
    }

    private static byte[] base64url(String text, String field, SourceSettings source) {
        if (!text.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
            throw new RejectedAnswer(source.id(), "field '" + field + "' is not unpadded base64url");
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new RejectedAnswer(source.id(), "field '" + field + "' is not unpadded base64url");
        }
    }

    private static String jcaName(String alg, SourceSettings source) {
        return switch (alg) {
            case "ES256" -> "SHA256withECDSAinP1363Format";
            case "Ed25519" -> "Ed25519";
            default -> throw new RejectedAnswer(source.id(), "option 'alg' is '" + StrictReply.printable(alg) + "' (supported: ES256, Ed25519)");
        };
    }

    private PublicKey publicKey(SourceSettings source, String alg) {
        String configured = source.option("public-key", "");
        return keys.computeIfAbsent(alg + "|" + configured, k -> parsePublicKey(configured, alg, source));
    }

    /** Reads an SPKI public key from PEM or plain base64. */
    static PublicKey parsePublicKey(String text, String alg, SourceSettings source) {
        String base64 = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance(alg.equals("ES256") ? "EC" : "Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new RejectedAnswer(source.id(), "option 'public-key' is not a P-256 key");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new RejectedAnswer(source.id(), "option 'public-key' is not a valid " + alg + " public key");
        }
    }

    private static Duration duration(String text, String option, SourceSettings source) {
        try {
            return Duration.parse(text);
        } catch (DateTimeException e) {
            throw new RejectedAnswer(source.id(), "option '" + option + "' is not an ISO-8601 duration");
        }
    }

    private static HealthCodeColour colour(String letter, SourceSettings source) {
        return switch (letter) {
            case "G" -> HealthCodeColour.GREEN;
            case "Y" -> HealthCodeColour.YELLOW;
            case "R" -> HealthCodeColour.RED;
            default -> throw new RejectedAnswer(source.id(), "field 'code.color' has unknown colour '" + StrictReply.printable(letter) + "'");
        };
    }

    /** The wire code of a document type; public for simulators and tests. */
    public static String documentTypeCode(DocumentType type) {
        return switch (type) {
            case RESIDENT_ID -> "ID";
            case PASSPORT -> "PP";
            case HK_MACAU_PERMIT -> "HKMO";
            default -> throw new IllegalArgumentException("unsupported document type " + type);
        };
    }

    /**
     * Wraps and signs a payload as the province does; used by simulators and tests.
     *
     * @param alg {@code ES256} (with an EC P-256 key) or {@code Ed25519}
     */
    public static byte[] signedEnvelope(byte[] payloadJson, String alg, String kid, PrivateKey key) {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(payloadJson);
        try {
            Signature signer = Signature.getInstance(alg.equals("ES256") ? "SHA256withECDSAinP1363Format" : "Ed25519");
            signer.initSign(key);
            signer.update(payload.getBytes(StandardCharsets.US_ASCII));
            Map<String, String> envelope = new LinkedHashMap<>();
            envelope.put("payload", payload);
            envelope.put("sig", Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign()));
            envelope.put("alg", alg);
            envelope.put("kid", kid);
            return StrictJson.write(envelope);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + alg, e);
        }
    }
}
