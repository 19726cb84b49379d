package dev.tongxing.hub.exchange;

import dev.tongxing.api.v1.ChangeAck;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.ProvinceExchangeGrpc;
import dev.tongxing.api.v1.StatusChange;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedTraveler;
import dev.tongxing.hub.security.Role;
import dev.tongxing.hub.support.TestIssuer;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import java.util.Map;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real gRPC client of the hub on loopback, for the exchange tests. */
final class ExchangeClient implements AutoCloseable {

    /** Checkpoint clients of the tests, by the province their credential places them in. */
    static final Map<String, String> CHECKPOINT_PROVINCES = Map.of(
            "checkpoint-xian-north", "61", "checkpoint-guangzhou-south", "44");

    final ManagedChannel channel;

    ExchangeClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    /** A province system's credentials (Shaanxi is "shaanxi-system", Guangdong "guangdong-system"). */
    static CallCredentials province(String clientId, String province) {
        return TestIssuer.bearer(TestIssuer.get().token(clientId, province, Role.PROVINCE_SYSTEM));
    }

    static final CallCredentials SHAANXI = province("shaanxi-system", "61");
    static final CallCredentials GUANGDONG = province("guangdong-system", "44");

    ProvinceExchangeGrpc.ProvinceExchangeStub exchange(CallCredentials credentials) {
        return ProvinceExchangeGrpc.newStub(channel).withCallCredentials(credentials);
    }

    static TravelerKey key(int index, boolean withPhone) {
        SimulatedTraveler traveler = SimulatedPopulation.traveler(index);
        TravelerKey.Builder key = TravelerKey.newBuilder().setDocumentType(DocumentType.RESIDENT_ID).setDocumentNumber(traveler.residentId());
        if (withPhone) {
            key.setPhoneNumber(traveler.phone());
        }
        return key.build();
    }

    static StatusChange change(int traveler, long version, HealthCodeColour colour, String reason) {
        return StatusChange.newBuilder()
                .setChangeId(UUID.randomUUID().toString())
                .setTraveler(key(traveler, false))
                .setVersion(version)
                .setColour(colour)
                .setReason(reason)
                .setProvince("61")
                .build();
    }

    /**
     * Looks a traveler up as the named checkpoint client; an empty name is a checkpoint whose
     * credential places it in no province's territory.
     */
    TravelerStatus status(int traveler, String checkpoint) {
        String client = checkpoint.isEmpty() ? "checkpoint-nowhere" : checkpoint;
        String token = TestIssuer.get().token(client, CHECKPOINT_PROVINCES.get(checkpoint), Role.CHECKPOINT);
        return TravelerStatusServiceGrpc.newBlockingStub(channel).withCallCredentials(TestIssuer.bearer(token))
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.newBuilder().setTraveler(key(traveler, true)).build());
    }

    /** A publication as Shaanxi's system. */
    Publication publish() {
        return new Publication(this, SHAANXI);
    }

    Publication publish(CallCredentials credentials) {
        return new Publication(this, credentials);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** One PublishStatusChanges stream; {@link #send} waits for the change's acknowledgement. */
    static final class Publication implements AutoCloseable {
        private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final StreamObserver<StatusChange> requests;

        Publication(ExchangeClient client, CallCredentials credentials) {
            requests = client.exchange(credentials).publishStatusChanges(new StreamObserver<>() {
                @Override
                public void onNext(ChangeAck ack) {
                    received.add(ack);
                }

                @Override
                public void onError(Throwable t) {
                    received.add(t);
                }

                @Override
                public void onCompleted() {
                    received.add("completed");
                }
            });
        }

        ChangeAck send(StatusChange change) throws InterruptedException {
            requests.onNext(change);
            return next();
        }

        ChangeAck next() throws InterruptedException {
            Object item = received.poll(10, TimeUnit.SECONDS);
            if (item instanceof ChangeAck ack) {
                return ack;
            }
            throw new AssertionError("expected an acknowledgement, got " + item);
        }

        @Override
        public void close() throws InterruptedException {
            requests.onCompleted();
            Object end = received.poll(10, TimeUnit.SECONDS);
            if (!"completed".equals(end)) {
                throw new AssertionError("expected the stream to complete, got " + end);
            }
        }
    }
}
