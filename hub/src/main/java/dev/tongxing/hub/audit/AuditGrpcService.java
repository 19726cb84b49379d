package dev.tongxing.hub.audit;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.v1.AuditQuery;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.GetRegionHealthRequest;
import dev.tongxing.api.v1.RegionHealth;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyAuditChainResponse;
import dev.tongxing.hub.exchange.TravelerPseudonyms;
import dev.tongxing.hub.health.RegionHealthReport;
import dev.tongxing.hub.lookup.InvalidRequest;
import dev.tongxing.hub.lookup.TravelerKeys;
import dev.tongxing.hub.server.GrpcErrors;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The ministry's view: the audit log (query and verification) and region health. */
@Component
public class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(AuditGrpcService.class);
    private static final Duration COPY_WAIT = Duration.ofSeconds(5);

    private final RegionHealthReport regionHealth;
    private final AuditStore store;
    private final ChainVerifier verifier;
    private final TravelerKeys keys;
    private final TravelerPseudonyms pseudonyms;
    private final AuditProperties properties;
    private final AuditWriter writer;

    public AuditGrpcService(RegionHealthReport regionHealth, AuditStore store, ChainVerifier verifier, TravelerKeys keys,
                            TravelerPseudonyms pseudonyms, AuditProperties properties, AuditWriter writer) {
        this.writer = writer;
        this.regionHealth = regionHealth;
        this.store = store;
        this.verifier = verifier;
        this.keys = keys;
        this.pseudonyms = pseudonyms;
        this.properties = properties;
    }

    @Override
    public void queryAudit(AuditQuery query, StreamObserver<AuditRecord> response) {
        AuditFilter filter;
        AuditCursor after;
        try {
            if (query.getPageSize() < 0) {
                throw new InvalidRequest("page_size", "must not be negative");
            }
            filter = filterOf(query);
            after = query.getPageToken().isEmpty() ? null : AuditCursor.parse(query.getPageToken());
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e).asRuntimeException());
            return;
        }
        long limit = query.getPageSize() == 0 ? Long.MAX_VALUE : query.getPageSize();
        awaitJournalCopied();
        new AuditQueryStream((ServerCallStreamObserver<AuditRecord>) response, store, filter, after,
                properties.queryPageSize(), limit).start();
    }

    @Override
    public void verifyAuditChain(VerifyAuditChainRequest request, StreamObserver<VerifyAuditChainResponse> response) {
        VerifyAuditChainResponse result;
        try {
            awaitJournalCopied();
            result = verifier.verify(request);
        } catch (InvalidRequest e) {
            response.onError(GrpcErrors.toStatus(e).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            response.onError(io.grpc.Status.UNAVAILABLE.withDescription(AuditUnavailable.DESCRIPTION).asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    @Override
    public void getRegionHealth(GetRegionHealthRequest request, StreamObserver<RegionHealth> response) {
        response.onNext(regionHealth.report());
        response.onCompleted();
    }

    /**
     * A query sees every record answered before it arrived, so the journal's copier gets a moment
     * to catch up. After that the query runs on what the store holds; the newest records follow.
     */
    private void awaitJournalCopied() {
        if (!writer.awaitStored(COPY_WAIT)) {
            log.warn("audit store is {} record(s) behind the journal; answering from what it holds", writer.copyBacklog());
        }
    }

    private AuditFilter filterOf(AuditQuery query) {
        String pseudonym = query.getTravelerPseudonym();
        if (!pseudonym.isEmpty() && !pseudonym.matches("[0-9a-f]{64}")) {
            throw new InvalidRequest("traveler_pseudonym", "must be 64 lower-case hex characters");
        }
        if (query.hasTraveler()) {
            String derived = pseudonyms.of(keys.validate(query.getTraveler(), "traveler"));
            if (!pseudonym.isEmpty() && !pseudonym.equals(derived)) {
                throw new InvalidRequest("traveler_pseudonym", "names another traveler than traveler");
            }
            pseudonym = derived;
        }
        Optional<AuditRecord.Kind> kind = switch (query.getKind()) {
            case KIND_UNSPECIFIED -> Optional.empty();
            case UNRECOGNIZED -> throw new InvalidRequest("kind", "is not a known record kind");
            default -> Optional.of(query.getKind());
        };
        return new AuditFilter(micros(query.hasFrom(), query.getFrom(), "from"), micros(query.hasTo(), query.getTo(), "to"),
                pseudonym, kind, bounded(query.getActor(), "actor", 256), bounded(query.getCallerProvince(), "caller_province", 8),
                bounded(query.getSourceId(), "source_id", 128), bounded(query.getVerdict(), "verdict", 32));
    }

    private static Optional<Long> micros(boolean present, Timestamp timestamp, String field) {
        if (!present) {
            return Optional.empty();
        }
        if (!Timestamps.isValid(timestamp)) {
            throw new InvalidRequest(field, "is not a valid timestamp");
        }
        return Optional.of(Timestamps.toMicros(timestamp));
    }

    private static String bounded(String value, String field, int max) {
        if (value.length() > max) {
            throw new InvalidRequest(field, "is longer than " + max + " characters");
        }
        return value;
    }
}
