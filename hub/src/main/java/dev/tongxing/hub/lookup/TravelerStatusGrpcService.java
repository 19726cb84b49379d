package dev.tongxing.hub.lookup;

import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.EntryError;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.VerifyCodeRequest;
import dev.tongxing.hub.audit.AuditTrail;
import dev.tongxing.hub.audit.AuditedCall;
import dev.tongxing.hub.server.CallerDeadline;
import dev.tongxing.hub.server.GrpcErrors;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * The checkpoint-facing edge: validate, look up, map errors to gRPC status. Every answer and
 * every refusal is audited, and leaves only once its audit record is durable.
 */
@Component
public class TravelerStatusGrpcService extends TravelerStatusServiceGrpc.TravelerStatusServiceImplBase {

    /** Entries of one manifest stream being looked up at once; more wait in the transport's flow control. */
    static final int BATCH_WINDOW = 64;

    private final LookupService lookups;
    private final TravelerKeys keys;
    private final CallerDeadline deadlines;
    private final AuditTrail audit;

    public TravelerStatusGrpcService(LookupService lookups, TravelerKeys keys, CallerDeadline deadlines, AuditTrail audit) {
        this.lookups = lookups;
        this.keys = keys;
        this.deadlines = deadlines;
        this.audit = audit;
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<TravelerStatus> response) {
        Duration budget = deadlines.remaining();
        AuditedCall call = audit.begin(AuditRecord.Kind.LOOKUP, TravelerStatusServiceGrpc.getGetStatusMethod().getFullMethodName());
        respond(call, () -> lookups.lookup(call.traveler(keys.validate(request.getTraveler(), "traveler")), request.getCheckpointId(), budget), response);
    }

    @Override
    public void verifyCode(VerifyCodeRequest request, StreamObserver<TravelerStatus> response) {
        Duration budget = deadlines.remaining();
        AuditedCall call = audit.begin(AuditRecord.Kind.CODE_VERIFICATION, TravelerStatusServiceGrpc.getVerifyCodeMethod().getFullMethodName());
        respond(call, () -> {
            SourceQuery scanned = lookups.readCode(request.getPayload(), request.getPhoneNumber());
            SourceQuery traveler = call.traveler(keys.validate(asKey(scanned), "payload"));
            return lookups.lookup(traveler, request.getCheckpointId(), budget);
        }, response);
    }

    @Override
    public StreamObserver<CheckBatchRequest> checkBatch(StreamObserver<CheckBatchResult> response) {
        ServerCallStreamObserver<CheckBatchResult> results = (ServerCallStreamObserver<CheckBatchResult>) response;
        results.disableAutoRequest();
        results.request(BATCH_WINDOW);
        return new ManifestCheck(results, lookups, keys, deadlines, audit);
    }

    private void respond(AuditedCall call, java.util.function.Supplier<CompletableFuture<TravelerStatus>> work, StreamObserver<TravelerStatus> response) {
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

    static TravelerKey asKey(SourceQuery query) {
        return TravelerKey.newBuilder()
                .setDocumentType(query.documentType())
                .setDocumentNumber(query.documentNumber())
                .setPhoneNumber(query.phoneNumber())
                .setIssuingProvince(query.province())
                .build();
    }

    /**
     * One manifest stream. Results go out as soon as each entry is known; at most
     * {@link #BATCH_WINDOW} entries are in flight, so a 2,000-seat train cannot flood the hub.
     */
    private static final class ManifestCheck implements StreamObserver<CheckBatchRequest> {
        private final ServerCallStreamObserver<CheckBatchResult> results;
        private final LookupService lookups;
        private final TravelerKeys keys;
        private final CallerDeadline deadlines;
        private final AuditTrail audit;
        private int inFlight;
        private boolean halfClosed;
        private boolean finished;

        ManifestCheck(ServerCallStreamObserver<CheckBatchResult> results, LookupService lookups, TravelerKeys keys,
                      CallerDeadline deadlines, AuditTrail audit) {
            this.results = results;
            this.lookups = lookups;
            this.keys = keys;
            this.deadlines = deadlines;
            this.audit = audit;
        }

        @Override
        public void onNext(CheckBatchRequest entry) {
            synchronized (this) {
                inFlight++;
            }
            AuditedCall call = audit.begin(AuditRecord.Kind.BATCH_ENTRY, TravelerStatusServiceGrpc.getCheckBatchMethod().getFullMethodName());
            CompletableFuture<TravelerStatus> status;
            try {
                if (entry.getEntryId().isEmpty()) {
                    throw new InvalidRequest("entry_id", "is required");
                }
                status = lookups.lookup(call.traveler(keys.validate(entry.getTraveler(), "traveler")), entry.getCheckpointId(), deadlines.remaining());
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

        private synchronized void emit(CheckBatchResult result) {
            inFlight--;
            if (finished) {
                return;
            }
            results.onNext(result);
            if (halfClosed && inFlight == 0) {
                finished = true;
                results.onCompleted();
            } else if (!halfClosed) {
                results.request(1);
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            finished = true;
        }

        @Override
        public synchronized void onCompleted() {
            halfClosed = true;
            if (inFlight == 0 && !finished) {
                finished = true;
                results.onCompleted();
            }
        }
    }
}
