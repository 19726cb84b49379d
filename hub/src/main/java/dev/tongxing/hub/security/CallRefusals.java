package dev.tongxing.hub.security;

import io.grpc.Status;
import java.util.Optional;

/** Told of every call refused at the door, so the refusal is on record (the audit log listens). */
@FunctionalInterface
public interface CallRefusals {

    CallRefusals NONE = (method, caller, status) -> { };

    void refused(String fullMethodName, Optional<Caller> caller, Status status);
}
