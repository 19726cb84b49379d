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
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real gRPC client of the hub on loopback, for the exchange tests. */
final class ExchangeClient implements AutoCloseable {

    final ManagedChannel channel;

    ExchangeClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
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

    TravelerStatus status(int traveler, String checkpoint) {
        return TravelerStatusServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.newBuilder().setTraveler(key(traveler, true)).setCheckpointId(checkpoint).build());
    }

    Publication publish() {
        return new Publication(this);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** One PublishStatusChanges stream; {@link #send} waits for the change's acknowledgement. */
    static final class Publication implements AutoCloseable {
        private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final StreamObserver<StatusChange> requests;

        Publication(ExchangeClient client) {
            requests = ProvinceExchangeGrpc.newStub(client.channel).publishStatusChanges(new StreamObserver<>() {
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
