package dev.tongxing.api.offline;

import dev.tongxing.api.v1.HealthCodeColour;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The claims of a province-signed health code, once its signature verified (or before the
 * province signs it).
 *
 * @param province   GB/T 2260 code of the issuing province (claim {@code iss})
 * @param keyId      the province key that signs it (protected header {@code kid})
 * @param maskedName the holder's name, masked as the province shows it (claim {@code nam})
 * @param document   salted digest of the holder's document (claim {@code doc}); see {@link DocumentDigest}
 * @param colour     GREEN, YELLOW or RED (claim {@code col}: {@code G}, {@code Y}, {@code R})
 * @param issuedAt   when the province signed it (claim {@code iat}, epoch seconds)
 * @param expiresAt  when it stops being valid (claim {@code exp}, epoch seconds)
 */
public record SignedCode(String province, String keyId, String maskedName, DocumentDigest document,
                         HealthCodeColour colour, Instant issuedAt, Instant expiresAt) {

    public SignedCode {
        Objects.requireNonNull(province, "province");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(maskedName, "maskedName");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** How long ago the province signed it; never negative. */
    public Duration age(Instant now) {
        Duration age = Duration.between(issuedAt, now);
        return age.isNegative() ? Duration.ZERO : age;
    }

    /** Never prints the document digest: it is derived from personal data. */
    @Override
    public String toString() {
        return "SignedCode[province=" + province + ", kid=" + keyId + ", colour=" + colour + ", iat=" + issuedAt + ", exp=" + expiresAt + "]";
    }
}
