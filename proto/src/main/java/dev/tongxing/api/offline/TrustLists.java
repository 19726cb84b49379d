package dev.tongxing.api.offline;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.v1.SignedTrustList;
import dev.tongxing.api.v1.TrustList;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;

/**
 * Signs and verifies the ministry's trust list: ECDSA P-256 with SHA-256 over the serialized
 * {@link TrustList} bytes exactly as sent, the signature in the 64-byte {@code r||s} form of
 * ES256. The list is parsed only after its signature verified, and refused once out of date.
 */
public final class TrustLists {

    private TrustLists() {}

    public static SignedTrustList sign(TrustList list, ECPrivateKey ministryKey, String ministryKeyId) {
        byte[] bytes = list.toByteArray();
        try {
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(ministryKey);
            signer.update(bytes);
            return SignedTrustList.newBuilder()
                    .setTrustList(ByteString.copyFrom(bytes))
                    .setSignerKeyId(ministryKeyId)
                    .setAlgorithm(SignedCodes.ALGORITHM)
                    .setSignature(ByteString.copyFrom(signer.sign()))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the trust list with the ministry key: " + e.getMessage(), e);
        }
    }

    /**
     * The list, once its signature verifies with the ministry's key and it is not out of date.
     *
     * @throws TrustListRefused saying why; never any other exception
     */
    public static TrustList verify(SignedTrustList signed, ECPublicKey ministryKey, Instant now) {
        if (!SignedCodes.ALGORITHM.equals(signed.getAlgorithm())) {
            throw new TrustListRefused("trust list is signed with '" + Printable.of(signed.getAlgorithm()) + "'; only ES256 is accepted");
        }
        boolean verified;
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(ministryKey);
            verifier.update(signed.getTrustList().toByteArray());
            verified = verifier.verify(signed.getSignature().toByteArray());
        } catch (GeneralSecurityException | RuntimeException e) {
            verified = false;
        }
        if (!verified) {
            throw new TrustListRefused("trust list signature does not verify with the ministry key (altered, or signed by another key)");
        }
        TrustList list;
        try {
            list = TrustList.parseFrom(signed.getTrustList());
        } catch (InvalidProtocolBufferException e) {
            throw new TrustListRefused("trust list is signed but unreadable");
        }
        if (!list.hasValidUntil() || !Timestamps.isValid(list.getValidUntil())) {
            throw new TrustListRefused("trust list states no valid_until");
        }
        Instant validUntil = Instant.ofEpochSecond(list.getValidUntil().getSeconds(), list.getValidUntil().getNanos());
        if (!validUntil.isAfter(now)) {
            throw new TrustListRefused("trust list is out of date since " + validUntil + "; fetch a new one (tongxing trust-list save)");
        }
        return list;
    }
}
