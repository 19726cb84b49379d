package dev.tongxing.hub.audit;

import dev.tongxing.api.v1.AuditRecord;
import java.util.List;

/**
 * One record as stored: the entry, its place in a replica's chain and its hashes. The personal
 * fields ({@code pseudonym}, {@code maskedName}, {@code personalSalt}) are null once retention
 * has removed them; {@code personalDigest} stays, and it is what the chain covers.
 */
public record AuditRow(
        String replicaId,
        long sequence,
        AuditRecord.Kind kind,
        long recordedAtMicros,
        String method,
        String actor,
        List<String> callerRoles,
        String callerProvince,
        String pseudonym,
        String maskedName,
        String personalSalt,
        String personalDigest,
        String travelerProvince,
        List<String> sources,
        List<String> provenance,
        String summary,
        String verdict,
        String reason,
        String traceId,
        String previousHash,
        String hash) {

    /** The key QueryAudit pages by. */
    AuditCursor cursor() {
        return new AuditCursor(recordedAtMicros, replicaId, sequence);
    }
}
