package dev.tongxing.hub.support;

import dev.tongxing.api.v1.AuditQuery;
import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.ChangeAck;
import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetRegionHealthRequest;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.ProvinceExchangeGrpc;
import dev.tongxing.api.v1.StatusChange;
import dev.tongxing.api.v1.SubscribeRequest;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyCodeRequest;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes one real call of each RPC with given credentials and reports how it ended, so a test can
 * hold every RPC against every identity. A call that got past the door may still fail for its own
 * reasons (INVALID_ARGUMENT, UNIMPLEMENTED); only UNAUTHENTICATED and PERMISSION_DENIED mean the
 * door refused it.
 */
public final class RpcProbe {

    public enum Rpc { GET_STATUS, VERIFY_CODE, CHECK_BATCH, PUBLISH_STATUS_CHANGES, SUBSCRIBE_STATUS_CHANGES,
        QUERY_AUDIT, VERIFY_AUDIT_CHAIN, GET_REGION_HEALTH, GET_TRUST_LIST }

    /** Demo traveler 0 of the simulated population: a Shaanxi (61) resident. */
    public static final String SHAANXI_RESIDENT = "610102196001011000";

    private RpcProbe() {}

    /** How the call ended: OK, or the status code it failed with. */
    public static Status.Code call(Channel channel, Rpc rpc, CallCredentials credentials) {
        try {
            return switch (rpc) {
                case GET_STATUS -> {
                    TravelerStatusServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .getStatus(GetStatusRequest.newBuilder().setTraveler(shaanxiResident()).build());
                    yield Status.Code.OK;
                }
                case VERIFY_CODE -> {
                    TravelerStatusServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .verifyCode(VerifyCodeRequest.newBuilder().setPayload("not-a-code").build());
                    yield Status.Code.OK;
                }
                case CHECK_BATCH -> checkBatch(channel, credentials);
                case GET_TRUST_LIST -> {
                    dev.tongxing.api.v1.TrustListServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials)
                            .withDeadlineAfter(5, TimeUnit.SECONDS).getTrustList(dev.tongxing.api.v1.GetTrustListRequest.getDefaultInstance());
                    yield Status.Code.OK;
                }
                case PUBLISH_STATUS_CHANGES -> {
                    publish(channel, credentials, change(shaanxiResident(), "61"));
                    yield Status.Code.OK;
                }
                case SUBSCRIBE_STATUS_CHANGES -> subscribe(channel, credentials);
                case QUERY_AUDIT -> {
                    AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .queryAudit(AuditQuery.newBuilder().setPageSize(1).build()).forEachRemaining(record -> { });
                    yield Status.Code.OK;
                }
                case VERIFY_AUDIT_CHAIN -> {
                    AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .verifyAuditChain(VerifyAuditChainRequest.getDefaultInstance());
                    yield Status.Code.OK;
                }
                case GET_REGION_HEALTH -> {
                    AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials).withDeadlineAfter(5, TimeUnit.SECONDS)
                            .getRegionHealth(GetRegionHealthRequest.getDefaultInstance());
                    yield Status.Code.OK;
                }
            };
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    public static TravelerKey shaanxiResident() {
        return TravelerKey.newBuilder().setDocumentType(DocumentType.RESIDENT_ID).setDocumentNumber(SHAANXI_RESIDENT).build();
    }

    public static StatusChange change(TravelerKey traveler, String province) {
        return StatusChange.newBuilder()
                .setChangeId("probe-" + UUID.randomUUID())
                .setTraveler(traveler)
                .setVersion(System.currentTimeMillis() * 1000 + (System.nanoTime() % 1000 + 1000) % 1000)
                .setColour(HealthCodeColour.GREEN)
                .setProvince(province)
                .build();
    }

    /** Publishes one change and returns its acknowledgement; a refused stream throws its status. */
    public static ChangeAck publish(Channel channel, CallCredentials credentials, StatusChange change) {
        CompletableFuture<ChangeAck> acked = new CompletableFuture<>();
        StreamObserver<StatusChange> requests = ProvinceExchangeGrpc.newStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .publishStatusChanges(new StreamObserver<>() {
                    @Override public void onNext(ChangeAck ack) { acked.complete(ack); }
                    @Override public void onError(Throwable t) { acked.completeExceptionally(t); }
                    @Override public void onCompleted() { acked.completeExceptionally(new IllegalStateException("completed without an ack")); }
                });
        requests.onNext(change);
        try {
            ChangeAck ack = acked.get(10, TimeUnit.SECONDS);
            requests.onCompleted();
            return ack;
        } catch (ExecutionException e) {
            throw Status.fromThrowable(e.getCause()).asRuntimeException();
        } catch (InterruptedException | TimeoutException e) {
            requests.onError(e);
            throw Status.DEADLINE_EXCEEDED.withDescription("no acknowledgement").asRuntimeException();
        }
    }

    private static Status.Code checkBatch(Channel channel, CallCredentials credentials) {
        CompletableFuture<Status.Code> ended = new CompletableFuture<>();
        StreamObserver<CheckBatchRequest> requests = TravelerStatusServiceGrpc.newStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .checkBatch(new StreamObserver<>() {
                    @Override public void onNext(CheckBatchResult result) { }
                    @Override public void onError(Throwable t) { ended.complete(Status.fromThrowable(t).getCode()); }
                    @Override public void onCompleted() { ended.complete(Status.Code.OK); }
                });
        requests.onNext(CheckBatchRequest.newBuilder().setEntryId("1").setTraveler(shaanxiResident()).build());
        requests.onCompleted();
        return ended.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** A subscription refused at the door ends at once; an admitted one stays open until cancelled. */
    private static Status.Code subscribe(Channel channel, CallCredentials credentials) {
        CompletableFuture<Status.Code> ended = new CompletableFuture<>();
        CompletableFuture<ClientCallStreamObserver<?>> call = new CompletableFuture<>();
        ProvinceExchangeGrpc.newStub(channel).withCallCredentials(credentials).subscribeStatusChanges(SubscribeRequest.getDefaultInstance(),
                new ClientResponseObserver<SubscribeRequest, ChangeNotice>() {
                    @Override public void beforeStart(ClientCallStreamObserver<SubscribeRequest> stream) { call.complete(stream); }
                    @Override public void onNext(ChangeNotice notice) { }
                    @Override public void onError(Throwable t) { ended.complete(Status.fromThrowable(t).getCode()); }
                    @Override public void onCompleted() { ended.complete(Status.Code.OK); }
                });
        try {
            return ended.get(700, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stillOpen) {
            call.join().cancel("probe done", null);
            return Status.Code.OK;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
