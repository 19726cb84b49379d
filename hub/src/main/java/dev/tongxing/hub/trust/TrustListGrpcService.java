package dev.tongxing.hub.trust;

import dev.tongxing.api.v1.GetTrustListRequest;
import dev.tongxing.api.v1.SignedTrustList;
import dev.tongxing.api.v1.TrustListServiceGrpc;
import dev.tongxing.hub.server.GrpcErrors;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Component;

/**
 * Hands out the signed trust list. It holds public keys only and no personal data, so the call is
 * not audited; who may call it is in {@code MethodAccess}, and refusals at the door are audited there.
 */
@Component
public class TrustListGrpcService extends TrustListServiceGrpc.TrustListServiceImplBase {

    private final TrustListPublisher publisher;

    public TrustListGrpcService(TrustListPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void getTrustList(GetTrustListRequest request, StreamObserver<SignedTrustList> response) {
        SignedTrustList list;
        try {
            list = publisher.current();
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e).asRuntimeException());
            return;
        }
        response.onNext(list);
        response.onCompleted();
    }
}
