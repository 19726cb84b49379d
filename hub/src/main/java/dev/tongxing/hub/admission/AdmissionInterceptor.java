package dev.tongxing.hub.admission;

import dev.tongxing.hub.audit.AuditTrail;
import dev.tongxing.hub.security.Caller;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;

/**
 * Admits each call or stream by its priority and holds the slot until the call ends. A refused
 * call ends at once with RESOURCE_EXHAUSTED and the {@code grpc-retry-pushback-ms} trailer, which
 * gRPC clients with retries enabled honour as "wait this long".
 *
 * <p>{@code ProvinceExchange} streams are admitted from their own budget, per peer: the
 * authenticated caller's client id ({@link Caller}, attached by the authentication interceptor
 * that runs before this one) or, for a call without one, the host it comes from.
 *
 * <p>Every refusal is audited; the refusal is not held back until its record is durable, because
 * holding calls is exactly what a hub at capacity must not do.
 */
@Component
public class AdmissionInterceptor implements ServerInterceptor {

    static final Metadata.Key<String> PUSHBACK = Metadata.Key.of("grpc-retry-pushback-ms", Metadata.ASCII_STRING_MARSHALLER);

    private final AdmissionController admission;
    private final AuditTrail audit;

    public AdmissionInterceptor(AdmissionController admission, AuditTrail audit) {
        this.admission = admission;
        this.audit = audit;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Priority priority = priorityOf(call.getMethodDescriptor().getFullMethodName());
        if (priority == null) {
            return next.startCall(call, headers);
        }
        Runnable giveBack;
        if (priority == Priority.EXCHANGE) {
            String peer = peerOf(call);
            Optional<String> refusal = admission.tryAdmitStream(peer);
            if (refusal.isPresent()) {
                return refuse(call, headers, refusal.get());
            }
            giveBack = () -> admission.releaseStream(peer);
        } else {
            if (!admission.tryAdmit(priority)) {
                return refuse(call, headers, "hub at capacity for " + priority.name().toLowerCase()
                        + " calls; retry after " + admission.pushbackMillis() + " ms");
            }
            giveBack = admission::release;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                giveBack.run();
            }
        };
        ServerCall<Q, A> releasing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                try {
                    super.close(status, trailers);
                } finally {
                    release.run();
                }
            }
        };
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(releasing, headers);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    release.run();
                }
            }

            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    release.run();
                }
            }
        };
    }

    private <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Metadata headers, String description) {
        Metadata trailers = new Metadata();
        trailers.put(PUSHBACK, Long.toString(admission.pushbackMillis()));
        Status refusal = Status.RESOURCE_EXHAUSTED.withDescription(description);
        audit.refused(call.getMethodDescriptor().getFullMethodName(), refusal, headers);
        call.close(refusal, trailers);
        return new ServerCall.Listener<>() { };
    }

    /**
     * Whose stream this is, for the per-peer cap: the authenticated client id when the call has a
     * {@link Caller}, otherwise the remote host (never its port: every new connection has another).
     */
    static String peerOf(ServerCall<?, ?> call) {
        Optional<Caller> caller = Caller.current();
        if (caller.isPresent()) {
            return "client:" + caller.get().clientId();
        }
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (remote instanceof InetSocketAddress address) {
            return "host:" + (address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString());
        }
        return "address:" + remote;
    }

    /** Health checks and reflection are never refused: load balancers must see a full hub as alive. */
    static Priority priorityOf(String fullMethodName) {
        if (fullMethodName.startsWith("tongxing.v1.TravelerStatusService/")) {
            return fullMethodName.endsWith("/CheckBatch") || fullMethodName.endsWith("/PrefetchManifest") ? Priority.MANIFEST : Priority.SCAN;
        }
        if (fullMethodName.startsWith("tongxing.v1.ProvinceExchange/")) {
            return Priority.EXCHANGE;
        }
        if (fullMethodName.startsWith("tongxing.v1.AuditService/")) {
            return Priority.AUDIT;
        }
        return null;
    }
}
