package dev.tongxing.api.offline;

import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.v1.ProvinceKey;
import dev.tongxing.api.v1.TrustList;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The province keys a verifier trusts, by key id: from the hub's configuration or a verified trust list. */
public final class ProvinceKeys {

    private final Map<String, TrustedKey> byId;

    private ProvinceKeys(Map<String, TrustedKey> byId) {
        this.byId = Map.copyOf(byId);
    }

    /** @throws IllegalArgumentException when two keys share a key id */
    public static ProvinceKeys of(Collection<TrustedKey> keys) {
        Map<String, TrustedKey> byId = new LinkedHashMap<>();
        for (TrustedKey key : keys) {
            if (byId.putIfAbsent(key.keyId(), key) != null) {
                throw new IllegalArgumentException("key id " + key.keyId() + " is listed twice; key ids must be unique across provinces");
            }
        }
        return new ProvinceKeys(byId);
    }

    /**
     * The keys of a trust list whose signature has been verified ({@link TrustLists#verify}).
     *
     * @throws TrustListRefused when an entry is malformed
     */
    public static ProvinceKeys from(TrustList list) {
        try {
            return of(list.getKeysList().stream().map(ProvinceKeys::trusted).toList());
        } catch (IllegalArgumentException e) {
            throw new TrustListRefused("trust list: " + e.getMessage());
        }
    }

    public Optional<TrustedKey> get(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    public Collection<TrustedKey> all() {
        return byId.values();
    }

    /** The list entry of a key, as the hub publishes it. */
    public static ProvinceKey entry(TrustedKey key) {
        ProvinceKey.Builder entry = ProvinceKey.newBuilder()
                .setKeyId(key.keyId())
                .setProvince(key.province())
                .setSourceId(key.sourceId())
                .setAlgorithm(SignedCodes.ALGORITHM)
                .setPublicKey(com.google.protobuf.ByteString.copyFrom(key.publicKey().getEncoded()))
                .setValidFrom(Timestamps.fromMillis(key.validFrom().toEpochMilli()))
                .setStatus(key.status());
        key.validUntil().ifPresent(until -> entry.setValidUntil(Timestamps.fromMillis(until.toEpochMilli())));
        return entry.build();
    }

    private static TrustedKey trusted(ProvinceKey entry) {
        String id = Printable.of(entry.getKeyId());
        if (entry.getKeyId().isEmpty()) {
            throw new IllegalArgumentException("an entry has no key id");
        }
        if (!SignedCodes.ALGORITHM.equals(entry.getAlgorithm())) {
            throw new IllegalArgumentException("key " + id + " has algorithm '" + Printable.of(entry.getAlgorithm()) + "'; only ES256 is accepted");
        }
        if (entry.getStatus() == ProvinceKey.Status.STATUS_UNSPECIFIED || entry.getStatus() == ProvinceKey.Status.UNRECOGNIZED) {
            throw new IllegalArgumentException("key " + id + " has no status");
        }
        if (!entry.hasValidFrom()) {
            throw new IllegalArgumentException("key " + id + " has no valid_from");
        }
        ECPublicKey publicKey;
        try {
            if (!(KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(entry.getPublicKey().toByteArray())) instanceof ECPublicKey ec)) {
                throw new IllegalArgumentException("key " + id + " is not an EC key");
            }
            publicKey = EcKeys.publicKey(EcKeys.encode(ec));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("key " + id + ": public_key is not a P-256 SubjectPublicKeyInfo");
        }
        Optional<Instant> until = entry.hasValidUntil() ? Optional.of(instant(entry.getValidUntil())) : Optional.empty();
        return new TrustedKey(entry.getKeyId(), entry.getProvince(), entry.getSourceId(), publicKey,
                instant(entry.getValidFrom()), until, entry.getStatus());
    }

    private static Instant instant(com.google.protobuf.Timestamp timestamp) {
        if (!Timestamps.isValid(timestamp)) {
            throw new IllegalArgumentException("a timestamp is out of range");
        }
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
