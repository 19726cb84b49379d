package dev.tongxing.hub.support;

import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/** A real gRPC client on loopback, for tests that talk to a running hub. */
public final class HubClient implements AutoCloseable {

    private final ManagedChannel channel;

    public HubClient(int port) {
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    public ManagedChannel channel() {
        return channel;
    }

    public TravelerStatusServiceGrpc.TravelerStatusServiceBlockingStub blocking() {
        return TravelerStatusServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    public TravelerStatusServiceGrpc.TravelerStatusServiceStub async() {
        return TravelerStatusServiceGrpc.newStub(channel);
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
