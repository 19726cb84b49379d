package dev.tongxing.hub.audit;

import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.AuditRecord;
import java.util.Optional;

/**
 * One call (or one manifest entry) being audited: who, which method, which trace, captured on the
 * call's own thread (the gRPC context does not follow the lookup's futures), and the traveler once
 * the request named a valid one.
 */
public final class AuditedCall {

    private final AuditRecord.Kind kind;
    private final String method;
    private final AuditActor actor;
    private final String traceId;
    private volatile SourceQuery traveler;
    private volatile String province = "";

    AuditedCall(AuditRecord.Kind kind, String method, AuditActor actor, String traceId) {
        this.kind = kind;
        this.method = method;
        this.actor = actor;
        this.traceId = traceId;
    }

    /** Remembers the validated traveler (kept in memory only) and hands it back. */
    public SourceQuery traveler(SourceQuery validated) {
        this.traveler = validated;
        return validated;
    }

    Optional<SourceQuery> traveler() {
        return Optional.ofNullable(traveler);
    }

    /**
     * The province the call concerns when it names no traveler key: a signed code taken on its own
     * names its province, not a document.
     */
    public void province(String province) {
        this.province = province == null ? "" : province;
    }

    /** The traveler's province, else the one set by {@link #province(String)}, else empty. */
    String province() {
        return traveler().map(SourceQuery::province).orElse(province);
    }

    AuditRecord.Kind kind() {
        return kind;
    }

    String method() {
        return method;
    }

    AuditActor actor() {
        return actor;
    }

    String traceId() {
        return traceId;
    }
}
