package dev.tongxing.hub.server;

import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.hub.security.AuthenticationInterceptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.health.v1.HealthGrpc;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Which thread serves a call. A checkpoint's lookup and a health probe run inline on the transport
 * thread that read them: nothing on their path blocks (the cache answers or hands the source call
 * to a virtual thread of its own, the audit record is awaited through a future, the caller's token
 * was verified before), and a thread hop per call would cost more than the call itself. Everything
 * else, and any call whose token is not yet known (its verification may fetch the realm's keys, its
 * refusal waits for an audit record), runs on a virtual thread of its own, as before.
 */
final class CallExecutors implements ServerCallExecutorSupplier {

    /** Methods whose whole path is non-blocking once the caller is known. */
    static final Set<String> INLINE = Set.of(
            TravelerStatusServiceGrpc.getGetStatusMethod().getFullMethodName(),
            HealthGrpc.getCheckMethod().getFullMethodName());

    private final AuthenticationInterceptor authentication;
    private final Executor virtualThreads;

    CallExecutors(AuthenticationInterceptor authentication, Executor virtualThreads) {
        this.authentication = authentication;
        this.virtualThreads = virtualThreads;
    }

    /** Runs on the transport thread for every call: a set lookup and, for inline methods, a cache peek. */
    @Override
    public <Q, A> Executor getExecutor(ServerCall<Q, A> call, Metadata headers) {
        boolean inline = INLINE.contains(call.getMethodDescriptor().getFullMethodName())
                && authentication.passesFromMemory(call, headers);
        // null keeps the server's own executor, which is direct: the transport thread.
        return inline ? null : virtualThreads;
    }
}
