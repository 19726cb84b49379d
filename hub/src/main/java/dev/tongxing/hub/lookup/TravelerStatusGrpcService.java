package dev.tongxing.hub.lookup;

import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.EntryError;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.PrefetchEntry;
import dev.tongxing.api.v1.PrefetchResult;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.VerifyCodeRequest;
import dev.tongxing.hub.config.ManifestProperties;
import dev.tongxing.hub.audit.AuditTrail;
import dev.tongxing.hub.audit.AuditedCall;
import dev.tongxing.hub.codes.CodeVerification;
import dev.tongxing.hub.resilience.Demand;
import dev.tongxing.hub.security.Caller;
import dev.tongxing.hub.security.CallerQuotas;
import dev.tongxing.hub.server.CallerDeadline;
import dev.tongxing.hub.server.GrpcErrors;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The checkpoint-facing edge: validate, look up, map errors to gRPC status. Every answer and
 * every refusal is audited, and leaves only once its audit record is durable.
 */
@Component
public class TravelerStatusGrpcService extends TravelerStatusServiceGrpc.TravelerStatusServiceImplBase {

    /** Entries of one manifest stream being looked up at once; more wait in the transport's flow control. */
    static final int BATCH_WINDOW = ManifestStream.WINDOW;

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

    /**
     * A manifest: each entry waits for its province's capacity (behind scans) until the stream's
     * deadline instead of being refused at it, and for the caller's per-second lookup limit
     * instead of failing over it. Each entry's result leaves once its audit record is durable.
     */
    @Override
    public StreamObserver<CheckBatchRequest> checkBatch(StreamObserver<CheckBatchResult> response) {
        Caller caller = Caller.require();
        StreamDeadline deadline = streamDeadline();
        String method = TravelerStatusServiceGrpc.getCheckBatchMethod().getFullMethodName();
        return ManifestStream.open(response, new ManifestStream.Entries<CheckBatchRequest, CheckBatchResult>() {
            @Override
            public String entryId(CheckBatchRequest entry) {
                return entry.getEntryId();
            }

            @Override
            public CompletableFuture<CheckBatchResult> check(CheckBatchRequest entry, InvalidRequest problem) {
                AuditedCall call = audit.begin(AuditRecord.Kind.BATCH_ENTRY, method);
                CompletableFuture<TravelerStatus> status;
                try {
                    if (problem != null) {
                        throw problem;
                    }
                    Checkpoint checkpoint = Checkpoint.calling(caller, entry.getCheckpointId());
                    SourceQuery traveler = call.traveler(keys.validate(entry.getTraveler(), "traveler"));
                    Duration budget = deadline.remaining();
                    status = quotas.awaitLookup(caller, budget).thenCompose(turn ->
                            lookups.lookup(traveler, checkpoint, deadline.remaining(), Demand.Kind.MANIFEST));
                } catch (RuntimeException e) {
                    status = CompletableFuture.failedFuture(e);
                }
                // The entry's result is released only once its audit record is durable.
                return audit.answer(call, status).handle((answer, failure) -> {
                    CheckBatchResult.Builder result = CheckBatchResult.newBuilder().setEntryId(entry.getEntryId());
                    return failure == null ? result.setStatus(answer).build() : result.setError(entryError(failure)).build();
                });
            }

            @Override
            public CheckBatchResult error(CheckBatchRequest entry, Status status) {
                return CheckBatchResult.newBuilder().setEntryId(entry.getEntryId()).setError(entryError(status)).build();
            }
        }, manifests.maxEntries(), entriesTaken::increment);
    }

    /**
     * Warms the cache for a manifest ahead of departure from the sources' spare capacity, and
     * says per entry whether it was fetched. Nothing about the traveler is returned.
     */
    @Override
    public StreamObserver<PrefetchEntry> prefetchManifest(StreamObserver<PrefetchResult> response) {
        Caller caller = Caller.require();
        StreamDeadline deadline = streamDeadline();
        String method = TravelerStatusServiceGrpc.getPrefetchManifestMethod().getFullMethodName();
        return ManifestStream.open(response, new ManifestStream.Entries<PrefetchEntry, PrefetchResult>() {
            @Override
            public String entryId(PrefetchEntry entry) {
                return entry.getEntryId();
            }

            @Override
            public CompletableFuture<PrefetchResult> check(PrefetchEntry entry, InvalidRequest problem) {
                AuditedCall call = audit.begin(AuditRecord.Kind.PREFETCH_ENTRY, method);
                CompletableFuture<List<Provenance>> components;
                try {
                    if (problem != null) {
                        throw problem;
                    }
                    SourceQuery traveler = call.traveler(keys.validate(entry.getTraveler(), "traveler"));
                    components = quotas.awaitLookup(caller, deadline.remaining()).thenCompose(turn ->
                            lookups.prefetch(traveler, deadline.remaining()));
                } catch (RuntimeException e) {
                    components = CompletableFuture.failedFuture(e);
                }
                return audit.prefetched(call, components).handle((asked, failure) -> {
                    PrefetchResult.Builder result = PrefetchResult.newBuilder().setEntryId(entry.getEntryId());
                    if (failure != null) {
                        return result.setOutcome(PrefetchResult.Outcome.REFUSED).setError(entryError(failure)).build();
                    }
                    List<String> notFetched = asked.stream().filter(component -> !AuditTrail.fetched(component))
                            .map(Provenance::getReason).toList();
                    boolean allCached = asked.stream().allMatch(component -> component.getKind() == Provenance.Kind.CACHED);
                    return result.setOutcome(!notFetched.isEmpty() ? PrefetchResult.Outcome.NOT_FETCHED
                                    : allCached ? PrefetchResult.Outcome.ALREADY_CACHED : PrefetchResult.Outcome.WARMED)
                            .addAllReasons(notFetched).build();
                });
            }

            @Override
            public PrefetchResult error(PrefetchEntry entry, Status status) {
                return PrefetchResult.newBuilder().setEntryId(entry.getEntryId())
                        .setOutcome(PrefetchResult.Outcome.REFUSED).setError(entryError(status)).build();
            }
        }, manifests.maxEntries(), entriesTaken::increment);
    }

    private static EntryError entryError(Throwable failure) {
        return entryError(GrpcErrors.toStatus(failure));
    }

    private static EntryError entryError(Status status) {
        return EntryError.newBuilder().setCode(status.getCode().name())
                .setMessage(status.getDescription() == null ? "" : status.getDescription()).build();
    }

    /**
     * How long a manifest stream's entries may wait, fixed when the stream opens: the call's own
     * deadline, or {@code tongxing.manifest.max-wait} when it has none or a longer one.
     */
    private StreamDeadline streamDeadline() {
        io.grpc.Deadline deadline = io.grpc.Context.current().getDeadline();
        long maxWait = manifests.maxWait().toNanos();
        long left = deadline == null ? maxWait : Math.min(maxWait, deadline.timeRemaining(TimeUnit.NANOSECONDS));
        return new StreamDeadline(System.nanoTime() + left);
    }

    /** The end of a manifest stream's time; each entry gets what is left, less time to send its answer. */
    private record StreamDeadline(long endNanos) {
        Duration remaining() {
            return Duration.ofNanos(endNanos - System.nanoTime()).minus(ANSWER_RESERVE);
        }
    }

    /** Left for auditing and sending an entry's result after its sources are given up on. */
    private static final Duration ANSWER_RESERVE = Duration.ofMillis(50);

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
}
