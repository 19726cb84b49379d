package dev.tongxing.hub.audit;

import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.ChangeAck;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.StatusChange;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.hub.exchange.TravelerPseudonyms;
import dev.tongxing.hub.server.GrpcErrors;
import io.grpc.Metadata;
import io.grpc.Status;
import dev.tongxing.hub.security.CallRefusals;
import dev.tongxing.hub.security.Caller;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.stereotype.Component;

/**
 * What the edges call to audit: lookups and their refusals, status-change outcomes, and requests
 * refused by an interceptor (admission, authentication, permission). Every method returns a
 * future that completes once the record is durable; an edge answers only then.
 */
@Component
public class AuditTrail implements CallRefusals {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AuditTrail.class);

    private final AuditWriter writer;
    private final TravelerPseudonyms pseudonyms;

    public AuditTrail(AuditWriter writer, TravelerPseudonyms pseudonyms) {
        this.writer = writer;
        this.pseudonyms = pseudonyms;
    }

    /** Starts auditing a call; call it on the gRPC call's thread so the caller and trace id are seen. */
    public AuditedCall begin(AuditRecord.Kind kind, String method) {
        return new AuditedCall(kind, method, AuditActor.current(), TraceIds.current());
    }

    /**
     * The answer to a lookup, released only once its record is durable: an answer becomes a
     * LOOKUP / CODE_VERIFICATION / BATCH_ENTRY record, a failure a REFUSAL record and is then
     * passed on unchanged. If the record cannot be written the result fails with UNAVAILABLE
     * "audit store unavailable" instead. Called on a transport thread (a lookup served inline), the
     * result completes on that thread ({@link AuditWriter#appendForCall}): never wait for it there.
     */
    public CompletableFuture<TravelerStatus> answer(AuditedCall call, CompletableFuture<TravelerStatus> status) {
        return status.handle((answer, failure) -> failure == null
                        ? writer.appendForCall(answered(call, answer)).thenApply(row -> answer)
                        : writer.appendForCall(refusal(call, GrpcErrors.toStatus(failure))).<TravelerStatus>thenCompose(row ->
                                CompletableFuture.failedFuture(failure)))
                .thenCompose(audited -> audited)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(unavailableIfAudit(failure)));
    }

    /**
     * One prefetched manifest entry, released only once its record is durable: the sources asked
     * and each one's provenance become a PREFETCH_ENTRY record (verdict WARMED when every source
     * answered or was fresh already, NOT_FETCHED with the reasons otherwise); no colour is recorded
     * as answered, because none was. A failure becomes a REFUSAL record, as for {@link #answer}.
     */
    public CompletableFuture<List<Provenance>> prefetched(AuditedCall call, CompletableFuture<List<Provenance>> components) {
        return components.handle((asked, failure) -> failure == null
                        ? writer.appendForCall(prefetchEntry(call, asked)).thenApply(row -> asked)
                        : writer.appendForCall(refusal(call, GrpcErrors.toStatus(failure))).<List<Provenance>>thenCompose(row ->
                                CompletableFuture.failedFuture(failure)))
                .thenCompose(audited -> audited)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(unavailableIfAudit(failure)));
    }

    private AuditEntry prefetchEntry(AuditedCall call, List<Provenance> asked) {
        Set<String> sources = new LinkedHashSet<>();
        List<String> provenance = new ArrayList<>();
        List<String> notFetched = new ArrayList<>();
        for (Provenance component : asked) {
            component("prefetch", component, sources, provenance);
            if (!fetched(component)) {
                notFetched.add(component.getReason());
            }
        }
        return new AuditEntry(AuditRecord.Kind.PREFETCH_ENTRY, call.method(), call.actor(), pseudonymOf(call), "",
                call.traveler().map(SourceQuery::province).orElse(""), List.copyOf(sources), provenance, "",
                notFetched.isEmpty() ? "WARMED" : "NOT_FETCHED", String.join("; ", notFetched), call.traceId());
    }

    /** The source's answer is in the cache and fresh: fetched now (LIVE) or before (CACHED). */
    public static boolean fetched(Provenance component) {
        return component.getKind() == Provenance.Kind.LIVE || component.getKind() == Provenance.Kind.CACHED;
    }

    /** A pushed status change's outcome; waits until it is durable (the ack is sent only after). */
    public void changeDecided(AuditedCall call, StatusChange change, ChangeAck ack) {
        String pseudonym = call.traveler().map(pseudonyms::of).orElse("");
        String province = call.traveler().map(SourceQuery::province).orElse(change.getProvince());
        String summary = "change_id=" + change.getChangeId() + " version=" + change.getVersion() + " colour=" + change.getColour().name();
        AuditEntry entry = new AuditEntry(AuditRecord.Kind.STATUS_CHANGE, call.method(), call.actor(), pseudonym, "",
                province, List.of(), List.of(), summary, ack.getOutcome().name(), ack.getReason(), call.traceId());
        await(writer.append(entry));
    }

    /**
     * A request an interceptor refused before any service saw it (for the security interceptor:
     * UNAUTHENTICATED, PERMISSION_DENIED; for admission: RESOURCE_EXHAUSTED). Reads the caller from
     * the current context when one is attached. The future completes when the record is durable,
     * or fails with {@link AuditUnavailable}.
     */
    public CompletableFuture<Void> refused(String fullMethodName, Status status, Metadata headers) {
        AuditEntry entry = new AuditEntry(AuditRecord.Kind.REFUSAL, fullMethodName, AuditActor.current(), "", "", "",
                List.of(), List.of(), "", status.getCode().name(), status.getDescription(), TraceIds.of(headers));
        return writer.append(entry).thenApply(row -> null);
    }

    /**
     * A call the authentication interceptor refused (UNAUTHENTICATED, PERMISSION_DENIED), with the
     * caller when it had authenticated. Waits for the record, so even a refusal leaves only once it
     * is on record; if the store cannot take it, the refusal still goes out (the door stays shut).
     */
    @Override
    public void refused(String fullMethodName, Optional<Caller> caller, Status status, Metadata headers) {
        AuditEntry entry = new AuditEntry(AuditRecord.Kind.REFUSAL, fullMethodName, AuditActor.of(caller), "", "", "",
                List.of(), List.of(), "", status.getCode().name(), status.getDescription(), TraceIds.of(headers));
        try {
            writer.append(entry).join();
        } catch (CompletionException e) {
            log.warn("a refusal of {} could not be audited: {}", fullMethodName, e.getCause().getClass().getSimpleName());
        }
    }

    /** Blocks (the call threads are virtual) until the record is durable; throws {@link AuditUnavailable} if it cannot be. */
    private static void await(CompletableFuture<AuditRow> record) {
        try {
            record.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof AuditUnavailable unavailable ? unavailable : new AuditUnavailable("audit append failed");
        }
    }

    private AuditEntry answered(AuditedCall call, TravelerStatus answer) {
        Set<String> sources = new LinkedHashSet<>();
        List<String> provenance = new ArrayList<>();
        if (answer.hasHealthCode()) {
            component("health_code", answer.getHealthCode().getProvenance(), sources, provenance);
        }
        if (answer.hasTravelCard()) {
            component("travel_card", answer.getTravelCard().getProvenance(), sources, provenance);
        }
        if (answer.hasTest()) {
            component("test", answer.getTest().getProvenance(), sources, provenance);
        }
        if (answer.hasVaccination()) {
            component("vaccination", answer.getVaccination().getProvenance(), sources, provenance);
        }
        StringBuilder summary = new StringBuilder();
        if (answer.hasHealthCode()) {
            summary.append("health_code=").append(answer.getHealthCode().getColour().name());
        }
        if (answer.hasTravelCard()) {
            summary.append(" travel_card=").append(answer.getTravelCard().getColour().name());
        }
        if (answer.hasTest()) {
            summary.append(" test=").append(answer.getTest().getResult().name());
        }
        if (answer.hasVaccination()) {
            summary.append(" vaccination_doses=").append(answer.getVaccination().getDoses());
        }
        if (!answer.getVerdict().getPolicyId().isEmpty()) {
            summary.append(" policy=").append(answer.getVerdict().getPolicyId());
        }
        String reasons = String.join("; ", answer.getVerdict().getReasonsList());
        return new AuditEntry(call.kind(), call.method(), call.actor(), pseudonymOf(call), answer.getMaskedName(),
                call.province(), List.copyOf(sources), provenance,
                summary.toString().strip(), answer.getVerdict().getDecision().name(), reasons, call.traceId());
    }

    private AuditEntry refusal(AuditedCall call, Status status) {
        return new AuditEntry(AuditRecord.Kind.REFUSAL, call.method(), call.actor(), pseudonymOf(call), "",
                call.province(), List.of(), List.of(), call.kind().name(),
                status.getCode().name(), status.getDescription(), call.traceId());
    }

    private String pseudonymOf(AuditedCall call) {
        return call.traveler().map(pseudonyms::of).orElse("");
    }

    private static void component(String name, Provenance provenance, Set<String> sources, List<String> lines) {
        if (!provenance.getSourceId().isEmpty()) {
            sources.add(provenance.getSourceId());
        }
        StringBuilder line = new StringBuilder(name).append('=').append(provenance.getKind().name());
        if (!provenance.getSourceId().isEmpty()) {
            line.append(':').append(provenance.getSourceId());
        }
        if (provenance.hasAge()) {
            line.append(" age=").append(provenance.getAge().getSeconds()).append('s');
        }
        if (!provenance.getRoute().isEmpty()) {
            line.append(" route=").append(provenance.getRoute());
        }
        lines.add(line.toString());
    }

    /** An audit failure becomes the edge's UNAVAILABLE; any other failure passes unchanged. */
    static Throwable unavailableIfAudit(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AuditUnavailable) {
            return Status.UNAVAILABLE.withDescription(AuditUnavailable.DESCRIPTION).asRuntimeException();
        }
        return cause;
    }
}
