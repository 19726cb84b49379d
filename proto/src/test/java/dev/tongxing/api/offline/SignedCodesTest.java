package dev.tongxing.api.offline;

import static dev.tongxing.api.offline.TestKeys.NOW;
import static dev.tongxing.api.offline.TestKeys.RESIDENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.ProvinceKey;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedCodesTest {

    private final TestKeys test = new TestKeys();

    @Test
    void aSignedCodeVerifiesAndBindsItsDocument() {
        String payload = test.shaanxiCode(HealthCodeColour.GREEN, NOW.minus(Duration.ofHours(2)));

        SignedCode code = SignedCodes.verify(payload, test.keys(), NOW);

        assertThat(code.colour()).isEqualTo(HealthCodeColour.GREEN);
        assertThat(code.province()).isEqualTo("61");
        assertThat(code.keyId()).isEqualTo("sx-1");
        assertThat(code.maskedName()).isEqualTo("王*");
        assertThat(code.age(NOW)).isEqualTo(Duration.ofHours(2));
        assertThat(code.document().matches(DocumentType.RESIDENT_ID, RESIDENT)).isTrue();
        assertThat(code.document().matches(DocumentType.RESIDENT_ID, "610102196001011019")).isFalse();
        assertThat(code.document().matches(DocumentType.PASSPORT, RESIDENT)).isFalse();
        assertThat(payload).doesNotContain(RESIDENT).hasSizeLessThan(300);
    }

    /**
     * QR byte-mode capacity at error correction level M (ISO/IEC 18004, table 7): a phone screen
     * scanned at a gate wants M (15 % recovery) and a version small enough for coarse modules.
     */
    private static final int[] QR_BYTES_LEVEL_M = {14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412};

    @Test
    void aCodeFitsAVersion12QrCodeAtLevelM() {
        // The longest masked name the simulated provinces show: three CJK characters.
        SignedCode claims = new SignedCode("61", "sx-2026", "欧*明", DocumentDigest.of(DocumentType.RESIDENT_ID, RESIDENT),
                HealthCodeColour.GREEN, NOW, NOW.plus(Duration.ofHours(24)));
        String payload = SignedCodes.sign(claims, (ECPrivateKey) test.shaanxi.getPrivate());
        int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
        int version = 1;
        while (QR_BYTES_LEVEL_M[version - 1] < bytes) {
            version++;
        }
        System.out.printf("signed code: %d characters, %d bytes: QR version %d at level M (byte mode)%n", payload.length(), bytes, version);
        assertThat(version).isLessThanOrEqualTo(12);
    }

    @Test
    void twoCodesOfOneTravelerCannotBeLinked() {
        DocumentDigest first = DocumentDigest.of(DocumentType.RESIDENT_ID, RESIDENT);
        DocumentDigest second = DocumentDigest.of(DocumentType.RESIDENT_ID, RESIDENT);
        assertThat(first.encode()).isNotEqualTo(second.encode());
        assertThat(DocumentDigest.decode(first.encode())).isEqualTo(first);
    }

    @Test
    void aForgedSignatureIsRefused() {
        // Signed by a key nobody trusts, but naming Shaanxi's key id.
        String forged = SignedCodes.sign(TestKeys.claims("sx-1", "61", HealthCodeColour.GREEN, NOW, Duration.ofHours(24)),
                (ECPrivateKey) EcKeys.generate().getPrivate());
        assertThatThrownBy(() -> SignedCodes.verify(forged, test.keys(), NOW))
                .isInstanceOf(CodeRefused.class).hasMessageContaining("signature does not verify with key sx-1");
    }

    @Test
    void aColourChangedAfterSigningIsRefused() {
        String red = test.shaanxiCode(HealthCodeColour.RED, NOW);
        String[] parts = red.substring(SignedCodes.PREFIX.length()).split("\\.");
        String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"col\":\"R\"", "\"col\":\"G\"");
        String green = SignedCodes.PREFIX + parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThatThrownBy(() -> SignedCodes.verify(green, test.keys(), NOW))
                .isInstanceOf(CodeRefused.class).hasMessageContaining("signature does not verify");
    }

    @Test
    void anUnknownKeyIdIsRefused() {
        String code = SignedCodes.sign(TestKeys.claims("sx-9", "61", HealthCodeColour.GREEN, NOW, Duration.ofHours(24)),
                (ECPrivateKey) test.shaanxi.getPrivate());
        assertThatThrownBy(() -> SignedCodes.verify(code, test.keys(), NOW))
                .isInstanceOf(CodeRefused.class).hasMessageContaining("key id 'sx-9' is not in the trust list");
    }

    @Test
    void aCodeNamingAnotherProvincesKeyIdIsRefused() {
        // Signed with Shaanxi's key but naming Guangdong's key id: the signature fails under Guangdong's key.
        String code = SignedCodes.sign(TestKeys.claims("gd-1", "61", HealthCodeColour.GREEN, NOW, Duration.ofHours(24)),
                (ECPrivateKey) test.shaanxi.getPrivate());
        assertThatThrownBy(() -> SignedCodes.verify(code, test.keys(), NOW))
                .isInstanceOf(CodeRefused.class).hasMessageContaining("signature does not verify with key gd-1");
    }

    @Test
    void aProvinceACodeSignedWithProvinceBsKeyIsRefused() {
        // Guangdong signs a code claiming to be Shaanxi's: the signature is good, the province is not Guangdong's to claim.
        String code = SignedCodes.sign(TestKeys.claims("gd-1", "61", HealthCodeColour.GREEN, NOW, Duration.ofHours(24)),
                (ECPrivateKey) test.guangdong.getPrivate());
        assertThatThrownBy(() -> SignedCodes.verify(code, test.keys(), NOW))
                .isInstanceOf(CodeRefused.class).hasMessageContaining("claims province 61 but key gd-1 belongs to province 44");
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceEvenForCodesSignedBeforeTheRevocation() {
        String code = test.shaanxiCode(HealthCodeColour.GREEN, NOW.minus(Duration.ofHours(1)));
        ProvinceKeys revoked = ProvinceKeys.of(List.of(test.key("sx-1", "61", test.shaanxi, ProvinceKey.Status.REVOKED,
                NOW.minus(Duration.ofDays(30)), null)));
        assertThatThrownBy(() -> SignedCodes.verify(code, revoked, NOW))
                .isInstanceOf(CodeRefused.class).hasMessageContaining("key sx-1 of province 61 is revoked");
    }

    @Test
    void anExpiredCodeIsRefused() {
        String code = test.shaanxiCode(HealthCodeColour.GREEN, NOW.minus(Duration.ofHours(25)));
        assertThatThrownBy(() -> SignedCodes.verify(code, test.keys(), NOW))
                .isInstanceOf(CodeRefused.class).hasMessageContaining("code expired at");
    }

    @Test
    void aCodeFromTheFutureOrWithTooLongALifeIsRefused() {
        assertThatThrownBy(() -> SignedCodes.verify(test.shaanxiCode(HealthCodeColour.GREEN, NOW.plus(Duration.ofMinutes(5))), test.keys(), NOW))
                .isInstanceOf(CodeRefused.class).hasMessageContaining("issued in the future");
        String longLived = SignedCodes.sign(TestKeys.claims("sx-1", "61", HealthCodeColour.GREEN, NOW, Duration.ofDays(30)),
                (ECPrivateKey) test.shaanxi.getPrivate());
        assertThatThrownBy(() -> SignedCodes.verify(longLived, test.keys(), NOW))
                .isInstanceOf(CodeRefused.class).hasMessageContaining("valid for longer than 7 days");
    }

    @Test
    void rotationOverlapOldCodesVerifyUntilTheyExpireNewCodesNeedTheNewKey() {
        java.security.KeyPair next = EcKeys.generate();
        Instant rotatedAt = NOW.minus(Duration.ofHours(6));
        ProvinceKeys rotated = ProvinceKeys.of(List.of(
                test.key("sx-1", "61", test.shaanxi, ProvinceKey.Status.RETIRED, NOW.minus(Duration.ofDays(30)), rotatedAt),
                test.key("sx-2", "61", next, ProvinceKey.Status.ACTIVE, rotatedAt.minus(Duration.ofDays(1)), null)));

        // Signed with the old key before it retired: still good until its own expiry.
        String old = test.shaanxiCode(HealthCodeColour.GREEN, NOW.minus(Duration.ofHours(10)));
        assertThat(SignedCodes.verify(old, rotated, NOW).keyId()).isEqualTo("sx-1");
        assertThatThrownBy(() -> SignedCodes.verify(old, rotated, NOW.plus(Duration.ofHours(15))))
                .isInstanceOf(CodeRefused.class).hasMessageContaining("expired");
        // Signed with the old key after it retired: refused.
        String late = test.shaanxiCode(HealthCodeColour.GREEN, NOW.minus(Duration.ofHours(1)));
        assertThatThrownBy(() -> SignedCodes.verify(late, rotated, NOW))
                .isInstanceOf(CodeRefused.class).hasMessageContaining("outside key sx-1's validity");
        // The new key signs from its start.
        String fresh = SignedCodes.sign(TestKeys.claims("sx-2", "61", HealthCodeColour.YELLOW, NOW.minus(Duration.ofHours(1)), Duration.ofHours(24)),
                (ECPrivateKey) next.getPrivate());
        assertThat(SignedCodes.verify(fresh, rotated, NOW).colour()).isEqualTo(HealthCodeColour.YELLOW);
    }

    @Test
    void hugeNegativeFractionalOrTextTimesAreRefusedAsClaimsNotCrashes() {
        for (String iat : List.of("99999999999999999999999", "9223372036854775807", "253402300800", "-1", "1.5e9", "\"1790000000\"", "null")) {
            String json = "{\"iss\":\"61\",\"nam\":\"王*\",\"doc\":\"" + DocumentDigest.of(DocumentType.RESIDENT_ID, RESIDENT).encode()
                    + "\",\"col\":\"G\",\"iat\":" + iat + ",\"exp\":1790000000}";
            assertThatThrownBy(() -> SignedCodes.claims(json, "sx-1")).as(iat)
                    .isInstanceOf(CodeRefused.class).hasMessageContaining("claim 'iat' is not a time");
        }
    }

    @Test
    void aTimeBeyondWhatJsonNumbersHoldIsRefused() {
        String json = "{\"iss\":\"61\",\"nam\":\"王*\",\"doc\":\"" + DocumentDigest.of(DocumentType.RESIDENT_ID, RESIDENT).encode()
                + "\",\"col\":\"G\",\"iat\":1e400,\"exp\":1790000000}";
        assertThatThrownBy(() -> SignedCodes.claims(json, "sx-1")).isInstanceOf(CodeRefused.class);
    }

    @Test
    void repeatedOrUnknownClaimsAndHeaderKeysAreRefused() {
        String doc = DocumentDigest.of(DocumentType.RESIDENT_ID, RESIDENT).encode();
        assertThatThrownBy(() -> SignedCodes.claims("{\"iss\":\"61\",\"nam\":\"王*\",\"doc\":\"" + doc
                + "\",\"col\":\"R\",\"col\":\"G\",\"iat\":1,\"exp\":2}", "sx-1")).isInstanceOf(CodeRefused.class);
        assertThatThrownBy(() -> SignedCodes.claims("{\"iss\":\"61\",\"nam\":\"王*\",\"doc\":\"" + doc
                + "\",\"col\":\"G\",\"iat\":1,\"exp\":2,\"x\":1}", "sx-1")).isInstanceOf(CodeRefused.class).hasMessageContaining("exactly the claims");
        String none = SignedCodes.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"kid\":\"sx-1\"}".getBytes(StandardCharsets.UTF_8))
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + ".";
        assertThatThrownBy(() -> SignedCodes.verify(none, test.keys(), NOW)).isInstanceOf(CodeRefused.class);
    }
}
