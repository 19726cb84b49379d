package dev.tongxing.hub.exchange;

import dev.tongxing.api.v1.ChangeAck;
import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.api.v1.ProvinceExchangeGrpc;
import dev.tongxing.api.v1.StatusChange;
import dev.tongxing.api.v1.SubscribeRequest;
import dev.tongxing.hub.audit.AuditUnavailable;
import dev.tongxing.hub.lookup.InvalidRequest;
import dev.tongxing.hub.lookup.Provinces;
import dev.tongxing.hub.security.Caller;
import java.util.Optional;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/** The province-facing edge: one change at a time in, one acknowledgement out; subscriptions. */
@Component
public class ProvinceExchangeGrpcService extends ProvinceExchangeGrpc.ProvinceExchangeImplBase {

    private static final Logger log = LoggerFactory.getLogger(ProvinceExchangeGrpcService.class);

    private final ChangeIntake intake;
    private final ChangeSubscriptions subscriptions;
    private final ChangeLog changeLog;

    public ProvinceExchangeGrpcService(ChangeIntake intake, ChangeSubscriptions subscriptions, ChangeLog changeLog) {
        this.intake = intake;
        this.subscriptions = subscriptions;
        this.changeLog = changeLog;
    }

    @Override
    public StreamObserver<StatusChange> publishStatusChanges(StreamObserver<ChangeAck> response) {
        ServerCallStreamObserver<ChangeAck> acks = (ServerCallStreamObserver<ChangeAck>) response;
        acks.disableAutoRequest();
        Publication publication = new Publication(acks, intake, Caller.require());
        acks.setOnReadyHandler(publication::onReady);
        acks.request(1);
        return publication;
    }

    @Override
    public void subscribeStatusChanges(SubscribeRequest request, StreamObserver<ChangeNotice> response) {
        Caller caller = Caller.require();
        Optional<String> own = caller.province();
        if (own.isEmpty()) {
            response.onError(Status.PERMISSION_DENIED
                    .withDescription("client " + caller.clientId() + " has no province claim; only a province subscribes")
                    .asRuntimeException());
            return;
        }
        String province = request.getProvince().isEmpty() ? own.get() : request.getProvince();
        if (!Provinces.isKnown(province)) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("province: not a GB/T 2260 province code").asRuntimeException());
            return;
        }
        if (!province.equals(own.get())) {
            response.onError(Status.PERMISSION_DENIED
                    .withDescription("province: " + province + " is not the calling province " + own.get() + "; a province hears only its own territory")
                    .asRuntimeException());
            return;
        }
        ChangePosition from = null;
        if (!request.getResumeFrom().isEmpty()) {
            try {
                from = ChangePosition.parse(request.getResumeFrom(), changeLog.partitions(), "resume_from");
                if (!changeLog.end().reached(from)) {
                    throw new InvalidRequest("resume_from", "is ahead of the change log; it is not a position this hub issued");
                }
            } catch (InvalidRequest invalid) {
                response.onError(Status.INVALID_ARGUMENT.withDescription(invalid.getMessage()).asRuntimeException());
                return;
            } catch (ChangeLog.ChangeLogUnavailable | org.apache.kafka.common.KafkaException e) {
                response.onError(Status.UNAVAILABLE.withDescription("the change log cannot be read now; resume later").asRuntimeException());
                return;
            }
        }
        subscriptions.subscribe(province, (ServerCallStreamObserver<ChangeNotice>) response, from, request.getPositionMarks());
    }

    /**
     * One publishing stream under manual flow control: the hub asks for the next change only after
     * acknowledging the previous one and only while the publisher is reading its acknowledgements,
     * so neither unread changes nor unread acks can pile up in the hub. gRPC runs a call's callbacks
     * one at a time, so no locking is needed here.
     */
    private static final class Publication implements StreamObserver<StatusChange> {
        private final ServerCallStreamObserver<ChangeAck> acks;
        private final ChangeIntake intake;
        private final Caller publisher;
        private boolean wantsNext;
        private boolean finished;

        Publication(ServerCallStreamObserver<ChangeAck> acks, ChangeIntake intake, Caller publisher) {
            this.acks = acks;
            this.intake = intake;
            this.publisher = publisher;
        }

        @Override
        public void onNext(StatusChange change) {
            if (finished) {
                return;
            }
            ChangeAck ack;
            try {
                ack = intake.take(change, publisher);
            } catch (DataAccessException e) {
                log.error("applied-change store failed: {}", e.getClass().getName());
                finished = true;
                acks.onError(Status.UNAVAILABLE
                        .withDescription("applied-change store unavailable; resend the changes not acknowledged")
                        .asRuntimeException());
                return;
            } catch (AuditUnavailable e) {
                log.error("audit store failed; change not acknowledged");
                finished = true;
                acks.onError(Status.UNAVAILABLE
                        .withDescription(AuditUnavailable.DESCRIPTION + "; resend the changes not acknowledged")
                        .asRuntimeException());
                return;
            }
            acks.onNext(ack);
            if (acks.isReady()) {
                acks.request(1);
            } else {
                wantsNext = true;
            }
        }

        void onReady() {
            if (wantsNext && !finished) {
                wantsNext = false;
                acks.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            finished = true;
        }

        @Override
        public void onCompleted() {
            if (!finished) {
                finished = true;
                acks.onCompleted();
            }
        }
    }
}
