package dev.tongxing.api.offline;

import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.ProvinceKey;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Province keys and codes for the offline tests. */
final class TestKeys {

    /** A simulated Shaanxi resident (the demo population's traveler 0); the number never leaves the test. */
    static final String RESIDENT = "610102196001011000";

    static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

    final KeyPair shaanxi = EcKeys.generate();
    final KeyPair guangdong = EcKeys.generate();

    TrustedKey key(String kid, String province, KeyPair pair, ProvinceKey.Status status, Instant from, Instant until) {
        return new TrustedKey(kid, province, province.equals("61") ? "shaanxi-ymt" : "guangdong-ykm",
                (ECPublicKey) pair.getPublic(), from, Optional.ofNullable(until), status);
    }

    ProvinceKeys keys() {
        return ProvinceKeys.of(java.util.List.of(
                key("sx-1", "61", shaanxi, ProvinceKey.Status.ACTIVE, NOW.minus(Duration.ofDays(30)), null),
                key("gd-1", "44", guangdong, ProvinceKey.Status.ACTIVE, NOW.minus(Duration.ofDays(30)), null)));
    }

    static SignedCode claims(String kid, String province, HealthCodeColour colour, Instant issuedAt, Duration lifetime) {
        return new SignedCode(province, kid, "王*", DocumentDigest.of(DocumentType.RESIDENT_ID, RESIDENT), colour, issuedAt, issuedAt.plus(lifetime));
    }

    String shaanxiCode(HealthCodeColour colour, Instant issuedAt) {
        return SignedCodes.sign(claims("sx-1", "61", colour, issuedAt, Duration.ofHours(24)), (ECPrivateKey) shaanxi.getPrivate());
    }
}
