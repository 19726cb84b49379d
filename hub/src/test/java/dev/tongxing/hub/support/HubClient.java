package dev.tongxing.hub.support;

import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/** A real gRPC client on loopback, for tests that talk to a running hub. */
public final class HubClient implements AutoCloseable {

    private final ManagedChannel channel;
    private final CallCredentials credentials;

    /** As the demo checkpoint (Xi'an North), with a token from the {@link TestIssuer}. */
    public HubClient(int port) {
        this(port, TestIssuer.get().checkpointToken());
    }

    public HubClient(int port, String token) {
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        this.credentials = TestIssuer.bearer(token);
    }

    public CallCredentials credentials() {
        return credentials;
    }

    public ManagedChannel channel() {
        return channel;
    }

    public TravelerStatusServiceGrpc.TravelerStatusServiceBlockingStub blocking() {
        return TravelerStatusServiceGrpc.newBlockingStub(channel).withCallCredentials(credentials).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    public TravelerStatusServiceGrpc.TravelerStatusServiceStub async() {
        return TravelerStatusServiceGrpc.newStub(channel).withCallCredentials(credentials);
    }

    public TravelerStatus status(String residentId, String phone) {
        return blocking().getStatus(GetStatusRequest.newBuilder().setTraveler(residentKey(residentId, phone)).build());
    }

    public static TravelerKey residentKey(String residentId, String phone) {
        return TravelerKey.newBuilder().setDocumentType(DocumentType.RESIDENT_ID).setDocumentNumber(residentId).setPhoneNumber(phone).build();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
