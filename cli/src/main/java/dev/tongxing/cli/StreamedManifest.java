package dev.tongxing.cli;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Sends a manifest's entries over a bidirectional stream only as fast as the hub takes them (the
 * call's {@code isReady}), so a large manifest never piles up in the client's buffers, and hands
 * each result to {@code onResult} as it arrives.
 *
 * @param <Q> an entry
 * @param <R> a result
 */
final class StreamedManifest<Q, R> implements ClientResponseObserver<Q, R> {

    private final Iterator<Q> entries;
    private final Consumer<R> onResult;
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private ClientCallStreamObserver<Q> requests;
    private boolean halfClosed;

    StreamedManifest(Iterator<Q> entries, Consumer<R> onResult) {
        this.entries = entries;
        this.onResult = onResult;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Q> requests) {
        this.requests = requests;
        requests.setOnReadyHandler(this::send);
    }

    private synchronized void send() {
        while (!halfClosed && requests.isReady() && entries.hasNext()) {
            requests.onNext(entries.next());
        }
        if (!halfClosed && !entries.hasNext()) {
            halfClosed = true;
            requests.onCompleted();
        }
    }

    @Override
    public void onNext(R result) {
        onResult.accept(result);
    }

    @Override
    public void onError(Throwable t) {
        closed.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        closed.complete(Status.OK);
    }

    /** How the stream ended: OK, or the hub's (or the deadline's) status. */
    CompletableFuture<Status> closed() {
        return closed;
    }
}
