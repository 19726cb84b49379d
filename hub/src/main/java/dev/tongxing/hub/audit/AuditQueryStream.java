package dev.tongxing.hub.audit;

import com.google.protobuf.Timestamp;
import dev.tongxing.api.v1.AuditRecord;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One QueryAudit stream under gRPC flow control: a page is read from the store only when the
 * buffer is empty and the client is ready for more, so memory holds at most one page whatever
 * the result's size, and a slow client slows the reading instead of filling the heap.
 */
final class AuditQueryStream {

    private static final Logger log = LoggerFactory.getLogger(AuditQueryStream.class);

    private final ServerCallStreamObserver<AuditRecord> records;
    private final AuditStore store;
    private final AuditFilter filter;
    private final int pageSize;
    private final long limit;
    private final Deque<AuditRow> buffer = new ArrayDeque<>();
    private AuditCursor position;
    private long sent;
    private boolean exhausted;
    private boolean finished;

    AuditQueryStream(ServerCallStreamObserver<AuditRecord> records, AuditStore store, AuditFilter filter,
                     AuditCursor after, int pageSize, long limit) {
        this.records = records;
        this.store = store;
        this.filter = filter;
        this.position = after;
        this.pageSize = pageSize;
        this.limit = limit;
    }

    void start() {
        records.setOnCancelHandler(this::cancel);
        records.setOnReadyHandler(this::drain);
        drain();
    }

    private synchronized void cancel() {
        finished = true;
        buffer.clear();
    }

    private synchronized void drain() {
        try {
            while (!finished && records.isReady()) {
                if (sent >= limit) {
                    finish();
                    return;
                }
                if (buffer.isEmpty()) {
                    if (exhausted) {
                        finish();
                        return;
                    }
                    int want = (int) Math.min(pageSize, limit - sent);
                    var page = store.page(filter, position, want);
                    exhausted = page.size() < want;
                    buffer.addAll(page);
                    continue;
                }
                AuditRow row = buffer.poll();
                position = row.cursor();
                records.onNext(toRecord(row));
                sent++;
            }
        } catch (RuntimeException e) {
            log.error("audit query failed: {}", e.getClass().getName());
            finished = true;
            records.onError(Status.UNAVAILABLE.withDescription(AuditUnavailable.DESCRIPTION).asRuntimeException());
        }
    }

    private void finish() {
        finished = true;
        records.onCompleted();
    }

    static AuditRecord toRecord(AuditRow row) {
        return AuditRecord.newBuilder()
                .setReplicaId(row.replicaId())
                .setSequence(row.sequence())
                .setKind(row.kind())
                .setAt(Timestamp.newBuilder()
                        .setSeconds(Math.floorDiv(row.recordedAtMicros(), 1_000_000L))
                        .setNanos((int) Math.floorMod(row.recordedAtMicros(), 1_000_000L) * 1_000))
                .setMethod(row.method())
                .setActor(row.actor())
                .addAllCallerRoles(row.callerRoles())
                .setCallerProvince(row.callerProvince())
                .setTravelerPseudonym(row.pseudonym() == null ? "" : row.pseudonym())
                .setMaskedName(row.maskedName() == null ? "" : row.maskedName())
                .setTravelerProvince(row.travelerProvince())
                .addAllSources(row.sources())
                .addAllProvenance(row.provenance())
                .setSummary(row.summary())
                .setVerdict(row.verdict())
                .setReason(row.reason())
                .setTraceId(row.traceId())
                .setPersonalDigest(row.personalDigest())
                .setPreviousHash(row.previousHash())
                .setHash(row.hash())
                .setNextPageToken(row.cursor().token())
                .build();
    }
}
