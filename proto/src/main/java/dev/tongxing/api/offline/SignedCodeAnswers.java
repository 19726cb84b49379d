package dev.tongxing.api.offline;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.v1.HealthCodeComponent;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.ScannedCode;
import java.time.Instant;

/**
 * The contract's view of a verified signed code, built the same way by the hub (when the province
 * cannot answer) and by an offline checkpoint (when nothing can): provenance SIGNED_TOKEN, the
 * code's age, its expiry as the component's {@code valid_until}.
 */
public final class SignedCodeAnswers {

    private SignedCodeAnswers() {}

    /** SIGNED_TOKEN provenance: the source whose key signed, the code's age, and why the province's own answer was not used. */
    public static Provenance provenance(SignedCode code, String sourceId, String reason, Instant now) {
        return Provenance.newBuilder()
                .setKind(Provenance.Kind.SIGNED_TOKEN)
                .setSourceId(sourceId)
                .setAge(Durations.fromMillis(code.age(now).toMillis()))
                .setReason(reason)
                .build();
    }

    /** The health-code component as the signed code states it. */
    public static HealthCodeComponent healthCode(SignedCode code, Provenance provenance) {
        return HealthCodeComponent.newBuilder()
                .setColour(code.colour())
                .setIssuingProvince(code.province())
                .setUpdatedAt(timestamp(code.issuedAt()))
                .setValidUntil(timestamp(code.expiresAt()))
                .setProvenance(provenance)
                .build();
    }

    /** What the answer says about the scanned code itself. */
    public static ScannedCode scanned(SignedCode code, boolean documentChecked) {
        return ScannedCode.newBuilder()
                .setKind(ScannedCode.Kind.SIGNED)
                .setIssuingProvince(code.province())
                .setKeyId(code.keyId())
                .setIssuedAt(timestamp(code.issuedAt()))
                .setExpiresAt(timestamp(code.expiresAt()))
                .setDocumentChecked(documentChecked)
                .build();
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamps.fromMillis(instant.toEpochMilli());
    }
}
