package dev.tongxing.hub.audit;

import dev.tongxing.api.v1.AuditRecord;
import java.util.Optional;

/**
 * What QueryAudit selects, validated. Empty strings and absent bounds mean "any".
 *
 * @param fromMicros inclusive lower bound, epoch microseconds
 * @param toMicros   exclusive upper bound, epoch microseconds
 */
record AuditFilter(
        Optional<Long> fromMicros,
        Optional<Long> toMicros,
        String pseudonym,
        Optional<AuditRecord.Kind> kind,
        String actor,
        String callerProvince,
        String sourceId,
        String verdict) {

    static AuditFilter everything() {
        return new AuditFilter(Optional.empty(), Optional.empty(), "", Optional.empty(), "", "", "", "");
    }
}
