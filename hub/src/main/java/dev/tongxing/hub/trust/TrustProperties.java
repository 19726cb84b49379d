package dev.tongxing.hub.trust;

import dev.tongxing.api.offline.EcKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Offline verification under {@code tongxing.trust}: the provinces' code-signing keys, per source,
 * and the ministry key that signs the trust list. Keys are configuration, never code; a bad value
 * stops start-up with a message naming the property.
 *
 * @param ministry     the key that signs the published trust list
 * @param listValidity how long a published list stays valid; a checkpoint refuses an older one,
 *                     which bounds how long a revocation takes to reach an offline checkpoint
 * @param exportPath   where the hub writes the signed trust list (proto3 JSON) at start-up, for
 *                     distribution by file; empty writes none
 * @param sources      per source id (as under {@code tongxing.sources}): its keys and whether its
 *                     unsigned QR format is still accepted
 */
@ConfigurationProperties("tongxing.trust")
public record TrustProperties(
        @DefaultValue Ministry ministry,
        @DefaultValue("7d") Duration listValidity,
        @DefaultValue("") String exportPath,
        Map<String, SourceTrust> sources) {

    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public TrustProperties {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
        if (listValidity == null || listValidity.isNegative() || listValidity.isZero() || listValidity.compareTo(Duration.ofDays(31)) > 0) {
            throw new IllegalArgumentException("tongxing.trust.list-validity must be positive and at most 31d");
        }
        sources.forEach((sourceId, trust) -> trust.keys().forEach((kid, key) -> {
            String property = "tongxing.trust.sources." + sourceId + ".keys." + kid;
            if (!KEY_ID.matcher(kid).matches()) {
                throw new IllegalArgumentException(property + ": a key id is 1 to 64 letters, digits, '.', '_' or '-'");
            }
            key.check(property);
        }));
    }

    /** The export file, if one is configured. */
    public java.util.Optional<Path> exportFile() {
        return exportPath.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(exportPath));
    }

    /**
     * The ministry's trust-list signing key.
     *
     * @param keyId      the id checkpoints see as the list's signer
     * @param signingKey P-256 private key, PKCS#8 in base64 or PEM ({@code TONGXING_TRUST_SIGNING_KEY});
     *                   empty: the hub publishes no trust list (GetTrustList answers FAILED_PRECONDITION)
     *                   but still verifies codes with the configured province keys
     */
    public record Ministry(@DefaultValue("ministry-1") String keyId, @DefaultValue("") String signingKey) {
        public Ministry {
            if (!KEY_ID.matcher(keyId).matches()) {
                throw new IllegalArgumentException("tongxing.trust.ministry.key-id must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            if (!signingKey.isBlank()) {
                try {
                    EcKeys.privateKey(signingKey);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("tongxing.trust.ministry.signing-key " + e.getMessage());
                }
            }
        }
    }

    /**
     * One source's trust settings.
     *
     * @param acceptUnsignedCodes accept the province's older, unsigned QR format (its {@code qr-prefix});
     *                            off by default: an unsigned code proves nothing, and is labelled
     *                            UNSIGNED_LEGACY where it is accepted
     * @param keys                the province's code-signing keys by key id
     */
    public record SourceTrust(@DefaultValue("false") boolean acceptUnsignedCodes, Map<String, KeyProperties> keys) {
        public SourceTrust {
            keys = keys == null ? Map.of() : Map.copyOf(keys);
        }
    }

    /** Where a key stands in its life; see {@code ProvinceKey.Status} in the contract. */
    public enum KeyStatus { ACTIVE, RETIRED, REVOKED }

    /**
     * One province key.
     *
     * @param publicKey  P-256 public key, X.509 SubjectPublicKeyInfo in base64 or PEM
     * @param algorithm  {@code ES256}, the only one accepted
     * @param validFrom  codes issued before this are refused
     * @param validUntil codes issued after this are refused; required once the key is retired
     * @param status     {@code active}, {@code retired} (signs no new codes; its codes verify until
     *                   they expire) or {@code revoked} (nothing it signed verifies, at once)
     */
    public record KeyProperties(String publicKey, @DefaultValue("ES256") String algorithm, Instant validFrom,
                                Instant validUntil, @DefaultValue("active") KeyStatus status) {

        void check(String property) {
            if (publicKey == null || publicKey.isBlank()) {
                throw new IllegalArgumentException(property + ".public-key is required");
            }
            try {
                EcKeys.publicKey(publicKey);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(property + ".public-key " + e.getMessage());
            }
            if (!"ES256".equals(algorithm)) {
                throw new IllegalArgumentException(property + ".algorithm must be ES256");
            }
            if (validFrom == null) {
                throw new IllegalArgumentException(property + ".valid-from is required (ISO-8601, e.g. 2026-01-01T00:00:00Z)");
            }
            if (validUntil != null && !validUntil.isAfter(validFrom)) {
                throw new IllegalArgumentException(property + ".valid-until must be after valid-from");
            }
            if (status == KeyStatus.RETIRED && validUntil == null) {
                throw new IllegalArgumentException(property + ".valid-until is required for a retired key: when the province stopped signing with it");
            }
        }
    }
}
