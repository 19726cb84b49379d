package dev.tongxing.bench.load;

import dev.tongxing.api.v1.TravelerStatus;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Thread-safe tallies of one run: completions arrive on the transport's threads. */
final class Measurement {

    private static final long HIGHEST = TimeUnit.SECONDS.toNanos(60);

    private final long startNanos;
    private final long startMillis = System.currentTimeMillis();
    private final long deadlineNanos;
    private final Histogram all = new ConcurrentHistogram(HIGHEST, 3);
    private final Map<String, Histogram> bySource = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Bucket[] seconds;
    private final LongAdder sent = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder okWithinDeadline = new LongAdder();
    private volatile long lastCompletion;

    Measurement(long startNanos, int lengthSeconds, long deadlineNanos) {
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
        seconds = new Bucket[lengthSeconds + 2];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = new Bucket();
        }
    }

    void sent(long intendedNanos) {
        sent.increment();
        bucket(intendedNanos).sent.increment();
    }

    /** @param answer null for an error or a non-lookup call */
    void completed(long intendedNanos, String source, Status.Code code, TravelerStatus answer) {
        String provenance = code != Status.Code.OK ? "UNANSWERED"
                : answer == null ? "OK" : answer.getHealthCode().getProvenance().getKind().name();
        completed(intendedNanos, source, code, provenance, code == Status.Code.OK ? "OK " + provenance : code.name());
    }

    /** A call answered OK whose outcome is not a lookup's provenance (a prefetch entry's WARMED, for example). */
    void completed(long intendedNanos, String source, String outcome) {
        completed(intendedNanos, source, Status.Code.OK, outcome, outcome);
    }

    private void completed(long intendedNanos, String source, Status.Code code, String provenance, String outcome) {
        long now = System.nanoTime();
        lastCompletion = now;
        long latency = Math.min(now - intendedNanos, HIGHEST);
        Bucket bucket = bucket(intendedNanos);
        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
        bucket.provenance.computeIfAbsent(provenance, k -> new LongAdder()).increment();
        all.recordValue(latency);
        bucket.latency.recordValue(latency);
        if (source != null) {
            bySource.computeIfAbsent(source, k -> new ConcurrentHistogram(HIGHEST, 3)).recordValue(latency);
        }
        if (code == Status.Code.OK) {
            ok.increment();
            bucket.ok.increment();
            if (latency <= deadlineNanos) {
                okWithinDeadline.increment();
                bucket.okWithinDeadline.increment();
            }
        }
    }

    long inFlight() {
        return sent.sum() - all.getTotalCount();
    }

    LoadResult result(String label, String mode, String method, int connections, int inFlight, double offered, double cpu, int cores) {
        double elapsed = Math.max(1e-9, (Math.max(lastCompletion, startNanos) - startNanos) / 1e9);
        Map<String, LoadResult.Latency> sources = new TreeMap<>();
        bySource.forEach((source, histogram) -> sources.put(source, latency(histogram)));
        Map<String, Long> counted = new TreeMap<>();
        outcomes.forEach((outcome, count) -> counted.put(outcome, count.sum()));
        List<LoadResult.Second> timeline = new ArrayList<>();
        for (int i = 0; i < seconds.length; i++) {
            Bucket b = seconds[i];
            if (b.sent.sum() == 0) {
                continue;
            }
            Map<String, Long> provenance = new LinkedHashMap<>();
            b.provenance.forEach((kind, count) -> provenance.put(kind, count.sum()));
            timeline.add(new LoadResult.Second(i, b.sent.sum(), b.ok.sum(), b.okWithinDeadline.sum(), provenance,
                    ms(b.latency.getValueAtPercentile(50)), ms(b.latency.getValueAtPercentile(99))));
        }
        return new LoadResult(label, mode, method, elapsed, connections, inFlight, offered, sent.sum(), ok.sum(), okWithinDeadline.sum(),
                TimeUnit.NANOSECONDS.toMillis(deadlineNanos), all.getTotalCount() / elapsed, latency(all), counted, sources, timeline,
                cpu / elapsed, cpu / elapsed / cores, cores, startMillis, startMillis + (long) (elapsed * 1000), 0);
    }

    private Bucket bucket(long intendedNanos) {
        int index = (int) Math.max(0, (intendedNanos - startNanos) / 1_000_000_000L);
        return seconds[Math.min(index, seconds.length - 1)];
    }

    private static LoadResult.Latency latency(Histogram h) {
        return new LoadResult.Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static final class Bucket {
        final LongAdder sent = new LongAdder();
        final LongAdder ok = new LongAdder();
        final LongAdder okWithinDeadline = new LongAdder();
        final Map<String, LongAdder> provenance = new ConcurrentHashMap<>();
        final Histogram latency = new ConcurrentHistogram(HIGHEST, 2);
    }
}
