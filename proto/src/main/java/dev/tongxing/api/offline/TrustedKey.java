package dev.tongxing.api.offline;

import dev.tongxing.api.v1.ProvinceKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One province key as the verifier uses it: which province it signs for, the window of issue
 * times it covers, and its status.
 *
 * @param keyId      the {@code kid} codes name
 * @param province   GB/T 2260 code of the province holding the private key
 * @param sourceId   the hub's source id of that province's system
 * @param publicKey  the P-256 public key
 * @param validFrom  codes issued before this are refused
 * @param validUntil codes issued after this are refused; empty for an active key with no end yet
 * @param status     ACTIVE, RETIRED (old codes verify until they expire) or REVOKED (nothing verifies)
 */
public record TrustedKey(String keyId, String province, String sourceId, ECPublicKey publicKey,
                         Instant validFrom, Optional<Instant> validUntil, ProvinceKey.Status status) {

    public TrustedKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(province, "province");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(status, "status");
        if (status == ProvinceKey.Status.RETIRED && validUntil.isEmpty()) {
            throw new IllegalArgumentException("key " + keyId + " is retired, so it needs valid-until: when the province stopped signing with it");
        }
        if (validUntil.isPresent() && !validUntil.get().isAfter(validFrom)) {
            throw new IllegalArgumentException("key " + keyId + ": valid-until must be after valid-from");
        }
    }

    /** True when a code issued at this moment falls in the key's window (both ends included). */
    public boolean covers(Instant issuedAt) {
        return !issuedAt.isBefore(validFrom) && validUntil.map(end -> !issuedAt.isAfter(end)).orElse(true);
    }
}
