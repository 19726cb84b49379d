package dev.tongxing.hub.audit;

import dev.tongxing.api.v1.AuditRecord;
import java.util.List;
import java.util.Objects;

/**
 * One event to record, before the writer gives it a time and a place in the chain.
 *
 * @param pseudonym  the traveler's keyed pseudonym, or empty
 * @param maskedName the name as the province masked it, or empty
 * @param verdict    decision, change outcome or status code
 */
public record AuditEntry(
        AuditRecord.Kind kind,
        String method,
        AuditActor actor,
        String pseudonym,
        String maskedName,
        String travelerProvince,
        List<String> sources,
        List<String> provenance,
        String summary,
        String verdict,
        String reason,
        String traceId) {

    public AuditEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actor, "actor");
        method = clip(method, 128);
        pseudonym = nullToEmpty(pseudonym);
        maskedName = clip(maskedName, 64);
        travelerProvince = clip(travelerProvince, 8);
        sources = List.copyOf(sources);
        provenance = List.copyOf(provenance);
        summary = clip(summary, 512);
        verdict = clip(verdict, 32);
        reason = clip(reason, 1024);
        traceId = clip(traceId, 64);
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String clip(String text, int max) {
        String value = nullToEmpty(text);
        return value.length() <= max ? value : value.substring(0, max);
    }
}
