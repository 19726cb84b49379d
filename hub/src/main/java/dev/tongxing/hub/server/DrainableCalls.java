package dev.tongxing.hub.server;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every call on the listener, so that a drain can end each the way its clients expect. Installed as
 * the server's outermost interceptor, on every service (health and reflection included).
 *
 * <p>How a call ends when its replica drains ({@link Ending}):
 * <ul>
 *   <li>unary calls and finite server streams ({@code QueryAudit}) finish normally within the grace
 *       period;</li>
 *   <li>endless streams ({@code SubscribeStatusChanges}, health {@code Watch}) end at once with
 *       UNAVAILABLE: the subscriber reconnects, through the load balancer, to another replica;</li>
 *   <li>bidirectional streams ({@code CheckBatch}, {@code PublishStatusChanges}, reflection) answer
 *       each message they take exactly once, so they stop taking messages, answer those taken, then
 *       end with UNAVAILABLE; the client sends what has no answer on a new stream. No message is
 *       half-done, and none is lost. A new bidirectional method that does not answer each message
 *       once must be listed in {@link #ENDLESS} instead.</li>
 * </ul>
 * Calls still running at the end of the grace period end with UNAVAILABLE ({@link #endAll}), which
 * the clients' retry policy resends to another replica. A call ended here is closed through its own
 * lock, so the service's later answers to it are dropped instead of failing on a closed call.
 */
final class DrainableCalls implements ServerInterceptor {

    /** Streams with no end of their own. */
    static final Set<String> ENDLESS = Set.of(
            "tongxing.v1.ProvinceExchange/SubscribeStatusChanges",
            "grpc.health.v1.Health/Watch");

    static final String RECONNECT = "hub replica shutting down; reconnect, another replica serves this stream";
    static final String SEND_THE_REST = "hub replica shutting down; every message it took has been answered, "
            + "send those without an answer on a new stream";
    static final String RETRY = "hub replica shut down before this call finished; retry it, another replica answers";

    enum Ending { FINISH, ANSWER_TAKEN_THEN_END, END_AT_DRAIN }

    private final Set<DrainableCall<?, ?>> calls = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    static Ending endingOf(MethodDescriptor<?, ?> method) {
        if (ENDLESS.contains(method.getFullMethodName())) {
            return Ending.END_AT_DRAIN;
        }
        return method.getType() == MethodDescriptor.MethodType.BIDI_STREAMING ? Ending.ANSWER_TAKEN_THEN_END : Ending.FINISH;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        DrainableCall<Q, A> drainable = new DrainableCall<>(call, endingOf(call.getMethodDescriptor()));
        calls.add(drainable);
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(drainable, headers);
        } catch (RuntimeException e) {
            calls.remove(drainable);
            throw e;
        }
        // A call that slipped in while the listener was closing drains like the others.
        if (draining) {
            drainable.drain();
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                drainable.taken();
                super.onMessage(message);
            }

            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    calls.remove(drainable);
                }
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    calls.remove(drainable);
                }
            }
        };
    }

    /** Starts the drain: endless streams end, bidirectional streams take no more. Returns the calls running. */
    int drain() {
        draining = true;
        calls.forEach(DrainableCall::drain);
        return calls.size();
    }

    /** Ends every call still running with UNAVAILABLE; returns how many it ended. */
    int endAll() {
        int ended = 0;
        for (DrainableCall<?, ?> call : calls) {
            if (call.end(RETRY)) {
                ended++;
            }
        }
        return ended;
    }

    /** Calls started and not yet over. */
    int running() {
        return calls.size();
    }

    /** One call, with every method the service uses on it serialized by the call's own lock. */
    private static final class DrainableCall<Q, A> extends ForwardingServerCall.SimpleForwardingServerCall<Q, A> {
        private final Ending ending;
        /** Messages handed to the service. */
        private long taken;
        /** Messages the service sent back. */
        private long answered;
        private boolean draining;
        private boolean closed;

        DrainableCall(ServerCall<Q, A> call, Ending ending) {
            super(call);
            this.ending = ending;
        }

        synchronized void taken() {
            taken++;
        }

        synchronized void drain() {
            if (draining || closed) {
                return;
            }
            draining = true;
            switch (ending) {
                case END_AT_DRAIN -> end(RECONNECT);
                case ANSWER_TAKEN_THEN_END -> endIfAnswered();
                case FINISH -> { }
            }
        }

        private void endIfAnswered() {
            if (answered >= taken) {
                end(SEND_THE_REST);
            }
        }

        /** Ends the call with UNAVAILABLE unless it is over; true when this ended it. */
        synchronized boolean end(String description) {
            if (closed) {
                return false;
            }
            closed = true;
            super.close(Status.UNAVAILABLE.withDescription(description), new Metadata());
            return true;
        }

        @Override
        public synchronized void request(int numMessages) {
            // A draining bidirectional stream takes no more messages; a unary call still needs its one.
            if (closed || (draining && ending == Ending.ANSWER_TAKEN_THEN_END)) {
                return;
            }
            super.request(numMessages);
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (!closed) {
                super.sendHeaders(headers);
            }
        }

        @Override
        public synchronized void sendMessage(A message) {
            if (closed) {
                return;
            }
            super.sendMessage(message);
            answered++;
            if (draining && ending == Ending.ANSWER_TAKEN_THEN_END) {
                endIfAnswered();
            }
        }

        @Override
        public synchronized boolean isReady() {
            return !closed && super.isReady();
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            if (closed) {
                return;
            }
            closed = true;
            super.close(status, trailers);
        }
    }
}
