package dev.tongxing.api.offline;

import static dev.tongxing.api.offline.TestKeys.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.ProvinceKey;
import dev.tongxing.api.v1.SignedTrustList;
import dev.tongxing.api.v1.TrustList;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrustListsTest {

    private final TestKeys test = new TestKeys();
    private final KeyPair ministry = EcKeys.generate();

    private SignedTrustList signedList() {
        TrustList.Builder list = TrustList.newBuilder().setIssuer("tongxing-hub")
                .setIssuedAt(Timestamps.fromMillis(NOW.toEpochMilli()))
                .setValidUntil(Timestamps.fromMillis(NOW.plus(Duration.ofDays(7)).toEpochMilli()));
        test.keys().all().forEach(key -> list.addKeys(ProvinceKeys.entry(key)));
        return TrustLists.sign(list.build(), (ECPrivateKey) ministry.getPrivate(), "ministry-1");
    }

    @Test
    void aVerifiedListVerifiesTheProvincesCodes() {
        TrustList list = TrustLists.verify(signedList(), (ECPublicKey) ministry.getPublic(), NOW);
        ProvinceKeys keys = ProvinceKeys.from(list);
        assertThat(keys.all()).extracting(TrustedKey::keyId).containsExactlyInAnyOrder("sx-1", "gd-1");
        String code = test.shaanxiCode(HealthCodeColour.GREEN, NOW.minus(Duration.ofMinutes(5)));
        assertThat(SignedCodes.verify(code, keys, NOW).colour()).isEqualTo(HealthCodeColour.GREEN);
    }

    @Test
    void aTamperedListIsRefused() {
        SignedTrustList signed = signedList();
        TrustList list = TrustList.newBuilder().mergeFrom(signed.getTrustList().toByteArray().length > 0 ? parse(signed) : TrustList.getDefaultInstance())
                .setKeys(0, ProvinceKeys.entry(test.key("sx-1", "61", EcKeys.generate(), ProvinceKey.Status.ACTIVE, NOW.minus(Duration.ofDays(1)), null)))
                .build();
        SignedTrustList tampered = signed.toBuilder().setTrustList(list.toByteString()).build();
        assertThatThrownBy(() -> TrustLists.verify(tampered, (ECPublicKey) ministry.getPublic(), NOW))
                .isInstanceOf(TrustListRefused.class).hasMessageContaining("signature does not verify");

        byte[] flipped = signed.getTrustList().toByteArray();
        flipped[flipped.length / 2] ^= 1;
        assertThatThrownBy(() -> TrustLists.verify(signed.toBuilder().setTrustList(ByteString.copyFrom(flipped)).build(),
                (ECPublicKey) ministry.getPublic(), NOW)).isInstanceOf(TrustListRefused.class);
        assertThatThrownBy(() -> TrustLists.verify(signed, (ECPublicKey) EcKeys.generate().getPublic(), NOW))
                .isInstanceOf(TrustListRefused.class).hasMessageContaining("signature does not verify");
        assertThatThrownBy(() -> TrustLists.verify(signed.toBuilder().setAlgorithm("none").build(), (ECPublicKey) ministry.getPublic(), NOW))
                .isInstanceOf(TrustListRefused.class).hasMessageContaining("only ES256");
    }

    @Test
    void anOutOfDateListIsRefused() {
        assertThatThrownBy(() -> TrustLists.verify(signedList(), (ECPublicKey) ministry.getPublic(), NOW.plus(Duration.ofDays(8))))
                .isInstanceOf(TrustListRefused.class).hasMessageContaining("out of date");
    }

    private static TrustList parse(SignedTrustList signed) {
        try {
            return TrustList.parseFrom(signed.getTrustList());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
