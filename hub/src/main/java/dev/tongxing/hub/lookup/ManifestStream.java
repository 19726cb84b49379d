package dev.tongxing.hub.lookup;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One manifest stream ({@code CheckBatch} or {@code PrefetchManifest}). Results go out as soon as
 * each entry is done, in completion order. Flow control holds in both directions: the next entry
 * is asked for only while fewer than {@link #WINDOW} entries are in flight and the caller is
 * reading results ({@code isReady}); a caller that stops reading stops the hub from taking its
 * entries, and the stream resumes from the transport's on-ready signal. A 2,000-seat train
 * therefore cannot flood the hub, and neither can a caller that sends without reading; entries
 * waiting for a province's capacity wait inside that window, so waiting never grows memory.
 *
 * <p>Each {@code entry_id} is remembered to refuse repeats, which is why a stream carries at
 * most {@code tongxing.manifest.max-entries}: the entry past that gets an entry error and the
 * stream ends once the entries in flight are answered.
 *
 * @param <E> an entry as the caller sends it
 * @param <R> the result sent back for one entry
 */
final class ManifestStream<E, R> implements StreamObserver<E> {

    /** Entries of one stream in flight at once; more wait in the transport's flow control. */
    static final int WINDOW = 64;
    /** Longest {@code entry_id}: a seat or ticket number, remembered per stream to refuse repeats. */
    static final int MAX_ENTRY_ID = 128;

    /** What one kind of manifest does with its entries. */
    interface Entries<E, R> {
        String entryId(E entry);

        /**
         * Checks one entry. {@code problem} is set when the entry itself is unusable (no or a
         * repeated {@code entry_id}); the entry is then audited and answered as that error. The
         * future must complete normally, with an error result when the entry failed.
         */
        CompletableFuture<R> check(E entry, InvalidRequest problem);

        /** The result for an entry that could not be checked at all (past the stream's cap). */
        R error(E entry, Status status);
    }

    private final ServerCallStreamObserver<R> results;
    private final Entries<E, R> entries;
    private final int maxEntries;
    private final Runnable taken;
    private final Set<String> entryIds = new HashSet<>();
    /** Entries asked of the transport and not yet delivered. */
    private int requested;
    /** Entries taken whose result has not gone out yet. */
    private int inFlight;
    private int count;
    /** No more entries will be asked for: the caller half-closed, or the stream reached its cap. */
    private boolean noMoreEntries;
    private boolean finished;

    private ManifestStream(ServerCallStreamObserver<R> results, Entries<E, R> entries, int maxEntries, Runnable taken) {
        this.results = results;
        this.entries = entries;
        this.maxEntries = maxEntries;
        this.taken = taken;
    }

    /** Takes over the call's flow control and asks for the first entries. */
    static <E, R> ManifestStream<E, R> open(StreamObserver<R> response, Entries<E, R> entries, int maxEntries, Runnable taken) {
        ServerCallStreamObserver<R> results = (ServerCallStreamObserver<R>) response;
        results.disableAutoRequest();
        ManifestStream<E, R> stream = new ManifestStream<>(results, entries, maxEntries, taken);
        results.setOnReadyHandler(stream::pump);
        stream.pump();
        return stream;
    }

    /** Asks for entries while the window has room and the caller keeps reading. */
    synchronized void pump() {
        while (!noMoreEntries && !finished && inFlight + requested < WINDOW && results.isReady()) {
            requested++;
            results.request(1);
        }
    }

    @Override
    public void onNext(E entry) {
        String overCap;
        InvalidRequest problem;
        synchronized (this) {
            requested--;
            if (finished) {
                return;
            }
            taken.run();
            inFlight++;
            count++;
            overCap = admit();
            problem = overCap == null ? problemWith(entries.entryId(entry)) : null;
        }
        if (overCap != null) {
            emit(entries.error(entry, Status.RESOURCE_EXHAUSTED.withDescription(overCap)));
            return;
        }
        CompletableFuture<R> result;
        try {
            result = entries.check(entry, problem);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((done, failure) -> emit(failure == null ? done
                : entries.error(entry, Status.INTERNAL.withDescription("the entry could not be checked"))));
    }

    /** Null when the entry may be checked; otherwise why the stream takes no more. */
    private String admit() {
        if (count <= maxEntries) {
            return null;
        }
        noMoreEntries = true;
        return "the stream carries more than tongxing.manifest.max-entries (" + maxEntries
                + ") entries; this stream ends here, send the rest on a new one";
    }

    private InvalidRequest problemWith(String entryId) {
        if (entryId.isEmpty()) {
            return new InvalidRequest("entry_id", "is required");
        }
        if (entryId.length() > MAX_ENTRY_ID) {
            return new InvalidRequest("entry_id", "is longer than " + MAX_ENTRY_ID + " characters");
        }
        if (!entryIds.add(entryId)) {
            return new InvalidRequest("entry_id", "repeats an earlier entry of this stream; each entry needs its own");
        }
        return null;
    }

    private synchronized void emit(R result) {
        inFlight--;
        if (finished) {
            return;
        }
        results.onNext(result);
        if (noMoreEntries && inFlight == 0) {
            finish();
        } else {
            pump();
        }
    }

    private void finish() {
        finished = true;
        entryIds.clear();
        results.onCompleted();
    }

    @Override
    public synchronized void onError(Throwable t) {
        finished = true;
        entryIds.clear();
    }

    @Override
    public synchronized void onCompleted() {
        noMoreEntries = true;
        if (inFlight == 0 && !finished) {
            finish();
        }
    }
}
