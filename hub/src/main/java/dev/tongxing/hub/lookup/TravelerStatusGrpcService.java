package dev.tongxing.hub.lookup;

import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.EntryError;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.VerifyCodeRequest;
import dev.tongxing.hub.config.ManifestProperties;
import dev.tongxing.hub.audit.AuditTrail;
import dev.tongxing.hub.audit.AuditedCall;
import dev.tongxing.hub.codes.CodeVerification;
import dev.tongxing.hub.security.Caller;
import dev.tongxing.hub.security.CallerQuotas;
import dev.tongxing.hub.server.CallerDeadline;
import dev.tongxing.hub.server.GrpcErrors;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * The checkpoint-facing edge: validate, look up, map errors to gRPC status. Every answer and
 * every refusal is audited, and leaves only once its audit record is durable.
 */
@Component
public class TravelerStatusGrpcService extends TravelerStatusServiceGrpc.TravelerStatusServiceImplBase {

    /** Entries of one manifest stream being looked up at once; more wait in the transport's flow control. */
    static final int BATCH_WINDOW = 64;
    /** Longest {@code entry_id}: a seat or ticket number, remembered per stream to refuse repeats. */
    static final int MAX_ENTRY_ID = 128;

    private final LookupService lookups;
    private final CodeVerification codes;
    private final TravelerKeys keys;
    private final CallerDeadline deadlines;
    private final ManifestProperties manifests;
    private final CallerQuotas quotas;
    private final AuditTrail audit;
    private final Counter entriesTaken;

    public TravelerStatusGrpcService(LookupService lookups, CodeVerification codes, TravelerKeys keys, CallerDeadline deadlines,
                                     ManifestProperties manifests, CallerQuotas quotas, AuditTrail audit, MeterRegistry meters) {
        this.lookups = lookups;
        this.codes = codes;
        this.audit = audit;
        this.keys = keys;
        this.deadlines = deadlines;
        this.manifests = manifests;
        this.quotas = quotas;
        this.entriesTaken = Counter.builder("tongxing.manifest.entries")
                .description("Manifest entries the hub has taken from CheckBatch streams")
                .register(meters);
    }

    /** The caller as a checkpoint, charged one lookup of its per-second limit. */
    private Checkpoint checkpoint(Caller caller, String requestedId) {
        Checkpoint checkpoint = Checkpoint.calling(caller, requestedId);
        quotas.spendLookup(caller);
        return checkpoint;
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<TravelerStatus> response) {
        Duration budget = deadlines.remaining();
        Caller caller = Caller.require();
        AuditedCall call = audit.begin(AuditRecord.Kind.LOOKUP, TravelerStatusServiceGrpc.getGetStatusMethod().getFullMethodName());
        respond(call, () -> {
            Checkpoint checkpoint = checkpoint(caller, request.getCheckpointId());
            return lookups.lookup(call.traveler(keys.validate(request.getTraveler(), "traveler")), checkpoint, budget);
        }, response);
    }

    @Override
    public void verifyCode(VerifyCodeRequest request, StreamObserver<TravelerStatus> response) {
        Duration budget = deadlines.remaining();
        Caller caller = Caller.require();
        AuditedCall call = audit.begin(AuditRecord.Kind.CODE_VERIFICATION, TravelerStatusServiceGrpc.getVerifyCodeMethod().getFullMethodName());
        respond(call, () -> {
            Checkpoint checkpoint = checkpoint(caller, request.getCheckpointId());
            return codes.verify(request, checkpoint, budget, call);
        }, response);
    }

    @Override
    public StreamObserver<CheckBatchRequest> checkBatch(StreamObserver<CheckBatchResult> response) {
        ServerCallStreamObserver<CheckBatchResult> results = (ServerCallStreamObserver<CheckBatchResult>) response;
        results.disableAutoRequest();
        Caller caller = Caller.require();
        ManifestCheck manifest = new ManifestCheck(results, lookups, keys, deadlines, manifests.maxEntries(), entriesTaken,
                requestedId -> checkpoint(caller, requestedId), audit);
        results.setOnReadyHandler(manifest::pump);
        manifest.pump();
        return manifest;
    }

    private void respond(AuditedCall call, java.util.function.Supplier<CompletableFuture<TravelerStatus>> work,
                         StreamObserver<TravelerStatus> response) {
        CompletableFuture<TravelerStatus> status;
        try {
            status = work.get();
        } catch (RuntimeException e) {
            status = CompletableFuture.failedFuture(e);
        }
        audit.answer(call, status).whenComplete((answer, failure) -> {
            if (failure != null) {
                response.onError(GrpcErrors.toStatus(failure).asRuntimeException());
            } else {
                response.onNext(answer);
                response.onCompleted();
            }
        });
    }

    /**
     * One manifest stream. Results go out as soon as each entry is known. Flow control holds in both
     * directions: the next entry is asked for only while fewer than {@link #BATCH_WINDOW} entries are
     * being looked up and the caller is reading results ({@code isReady}); a caller that stops
     * reading stops the hub from taking its entries, and the stream resumes from the transport's
     * on-ready signal. A 2,000-seat train therefore cannot flood the hub, and neither can a caller
     * that sends without reading.
     *
     * <p>Each {@code entry_id} is remembered to refuse repeats, which is why a stream carries at
     * most {@code tongxing.manifest.max-entries}: the entry past that gets an entry error and the
     * stream ends once the entries in flight are answered.
     */
    private static final class ManifestCheck implements StreamObserver<CheckBatchRequest> {
        private final ServerCallStreamObserver<CheckBatchResult> results;
        private final LookupService lookups;
        private final TravelerKeys keys;
        private final CallerDeadline deadlines;
        private final int maxEntries;
        private final Counter taken;
        private final Function<String, Checkpoint> checkpoints;
        private final AuditTrail audit;
        private final Set<String> entryIds = new HashSet<>();
        /** Entries asked of the transport and not yet delivered. */
        private int requested;
        /** Entries taken whose result has not gone out yet. */
        private int inFlight;
        private int entries;
        /** No more entries will be asked for: the caller half-closed, or the stream reached its cap. */
        private boolean noMoreEntries;
        private boolean finished;

        ManifestCheck(ServerCallStreamObserver<CheckBatchResult> results, LookupService lookups, TravelerKeys keys,
                      CallerDeadline deadlines, int maxEntries, Counter taken, Function<String, Checkpoint> checkpoints, AuditTrail audit) {
            this.results = results;
            this.audit = audit;
            this.checkpoints = checkpoints;
            this.lookups = lookups;
            this.keys = keys;
            this.deadlines = deadlines;
            this.maxEntries = maxEntries;
            this.taken = taken;
        }

        /** Asks for entries while the window has room and the caller keeps reading. */
        synchronized void pump() {
            while (!noMoreEntries && !finished && inFlight + requested < BATCH_WINDOW && results.isReady()) {
                requested++;
                results.request(1);
            }
        }

        @Override
        public void onNext(CheckBatchRequest entry) {
            String refusal;
            synchronized (this) {
                requested--;
                if (finished) {
                    return;
                }
                taken.increment();
                inFlight++;
                entries++;
                refusal = admit(entry);
            }
            if (refusal != null) {
                emit(CheckBatchResult.newBuilder().setEntryId(entry.getEntryId())
                        .setError(EntryError.newBuilder().setCode(Status.Code.RESOURCE_EXHAUSTED.name()).setMessage(refusal)).build());
                return;
            }
            AuditedCall call = audit.begin(AuditRecord.Kind.BATCH_ENTRY, TravelerStatusServiceGrpc.getCheckBatchMethod().getFullMethodName());
            CompletableFuture<TravelerStatus> status;
            try {
                if (entry.getEntryId().isEmpty()) {
                    throw new InvalidRequest("entry_id", "is required");
                }
                if (entry.getEntryId().length() > MAX_ENTRY_ID) {
                    throw new InvalidRequest("entry_id", "is longer than " + MAX_ENTRY_ID + " characters");
                }
                if (!remember(entry.getEntryId())) {
                    throw new InvalidRequest("entry_id", "repeats an earlier entry of this stream; each entry needs its own");
                }
                Checkpoint checkpoint = checkpoints.apply(entry.getCheckpointId());
                status = lookups.lookup(call.traveler(keys.validate(entry.getTraveler(), "traveler")), checkpoint, deadlines.remaining());
            } catch (RuntimeException e) {
                status = CompletableFuture.failedFuture(e);
            }
            // The entry's result is released only once its audit record is durable.
            audit.answer(call, status).whenComplete((answer, failure) -> {
                CheckBatchResult.Builder result = CheckBatchResult.newBuilder().setEntryId(entry.getEntryId());
                if (failure == null) {
                    result.setStatus(answer);
                } else {
                    Status grpcStatus = GrpcErrors.toStatus(failure);
                    result.setError(EntryError.newBuilder().setCode(grpcStatus.getCode().name()).setMessage(grpcStatus.getDescription()));
                }
                emit(result.build());
            });
        }

        /** Null when the entry may be looked up; otherwise why the stream takes no more. */
        private String admit(CheckBatchRequest entry) {
            if (entries <= maxEntries) {
                return null;
            }
            noMoreEntries = true;
            return "the stream carries more than tongxing.manifest.max-entries (" + maxEntries
                    + ") entries; this stream ends here, send the rest on a new one";
        }

        private synchronized boolean remember(String entryId) {
            return entryIds.add(entryId);
        }

        private synchronized void emit(CheckBatchResult result) {
            inFlight--;
            if (finished) {
                return;
            }
            results.onNext(result);
            if (noMoreEntries && inFlight == 0) {
                finish();
            } else {
                pump();
            }
        }

        private void finish() {
            finished = true;
            entryIds.clear();
            results.onCompleted();
        }

        @Override
        public synchronized void onError(Throwable t) {
            finished = true;
            entryIds.clear();
        }

        @Override
        public synchronized void onCompleted() {
            noMoreEntries = true;
            if (inFlight == 0 && !finished) {
                finish();
            }
        }
    }
}
