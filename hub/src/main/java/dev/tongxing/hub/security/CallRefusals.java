package dev.tongxing.hub.security;

import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Optional;

/**
 * Told of every call refused at the door, so the refusal is on record (the audit log listens).
 * Returns once the record is durable or could not be made so; the refusal goes out either way.
 */
@FunctionalInterface
public interface CallRefusals {

    CallRefusals NONE = (method, caller, status, headers) -> { };

    /** @param caller the authenticated caller, when the refusal came after authentication */
    void refused(String fullMethodName, Optional<Caller> caller, Status status, Metadata headers);
}
