package dev.tongxing.hub.audit;

import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.GetRegionHealthRequest;
import dev.tongxing.api.v1.RegionHealth;
import dev.tongxing.hub.health.RegionHealthReport;
import io.grpc.stub.StreamObserver;
import org.springframework.stereotype.Component;

/**
 * The ministry's view. Region health is served; the audit log itself (QueryAudit,
 * VerifyAuditChain) answers UNIMPLEMENTED until the audit store is built.
 */
@Component
public class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {

    private final RegionHealthReport regionHealth;

    public AuditGrpcService(RegionHealthReport regionHealth) {
        this.regionHealth = regionHealth;
    }

    @Override
    public void getRegionHealth(GetRegionHealthRequest request, StreamObserver<RegionHealth> response) {
        response.onNext(regionHealth.report());
        response.onCompleted();
    }
}
