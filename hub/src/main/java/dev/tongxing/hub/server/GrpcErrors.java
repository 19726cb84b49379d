package dev.tongxing.hub.server;

import dev.tongxing.hub.lookup.InvalidRequest;
import dev.tongxing.hub.security.CallerNotAllowed;
import dev.tongxing.hub.security.CallerQuotas;
import dev.tongxing.hub.sources.FailureReasons;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where the hub's error values become gRPC status codes. */
public final class GrpcErrors {

    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    private GrpcErrors() {}

    public static Status toStatus(Throwable failure) {
        Throwable cause = FailureReasons.unwrap(failure);
        if (cause instanceof InvalidRequest invalid) {
            return Status.INVALID_ARGUMENT.withDescription(invalid.getMessage());
        }
        if (cause instanceof CallerNotAllowed denied) {
            return Status.PERMISSION_DENIED.withDescription(denied.getMessage());
        }
        if (cause instanceof CallerQuotas.CallerOverLimit over) {
            return Status.RESOURCE_EXHAUSTED.withDescription(over.getMessage());
        }
        if (cause instanceof StatusRuntimeException e) {
            return e.getStatus();
        }
        if (cause instanceof StatusException e) {
            return e.getStatus();
        }
        // Unexpected: log the type only, a message might carry request data.
        log.error("unexpected failure while answering: {}", cause.getClass().getName());
        return Status.INTERNAL.withDescription("internal error");
    }
}
