package dev.tongxing.simulators;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * What each simulated system received, counted by the system itself in {@value #BUCKET_MILLIS} ms
 * buckets of wall-clock time over the last {@link #RETENTION}. The hub promises each source no
 * more than its declared capacity in any one-second window; the hub's own counters cannot prove
 * that (they count completed calls, and a sampler reading them drifts with the load), so the
 * benchmark asks the receiving end. Counted when a request arrives, before its simulated latency.
 */
public final class Arrivals {

    public static final int BUCKET_MILLIS = 10;
    static final Duration RETENTION = Duration.ofMinutes(5);
    private static final int BUCKETS = (int) (RETENTION.toMillis() / BUCKET_MILLIS);

    private final Map<String, Ring> systems = new ConcurrentHashMap<>();
    private final LongSupplier millis;

    public Arrivals() {
        this(System::currentTimeMillis);
    }

    Arrivals(LongSupplier millis) {
        this.millis = millis;
    }

    /** Counts one request arriving at this system now. */
    public void record(String system) {
        systems.computeIfAbsent(system, name -> new Ring()).add(millis.getAsLong() / BUCKET_MILLIS);
    }

    /**
     * Each system's counts per bucket from the bucket holding {@code fromMillis} to the one holding
     * {@code toMillis}, both included; buckets older than the retention read as zero.
     */
    public Map<String, long[]> counts(long fromMillis, long toMillis) {
        if (toMillis < fromMillis) {
            throw new IllegalArgumentException("to (" + toMillis + ") is before from (" + fromMillis + ")");
        }
        long first = fromMillis / BUCKET_MILLIS;
        long last = toMillis / BUCKET_MILLIS;
        if (last - first >= BUCKETS) {
            throw new IllegalArgumentException("at most " + RETENTION.toMinutes() + " minutes of arrivals are kept");
        }
        long current = millis.getAsLong() / BUCKET_MILLIS;
        Map<String, long[]> counts = new TreeMap<>();
        systems.forEach((system, ring) -> counts.put(system, ring.read(first, last, current - BUCKETS)));
        return counts;
    }

    /** A filter counting each request that reaches the context as an arrival at {@code system}. */
    Filter counting(String system) {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                record(system);
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "counts arrivals";
            }
        };
    }

    /** One system's buckets, a ring indexed by bucket number; a slot holding an older bucket is reused. */
    private static final class Ring {
        private final long[] bucket = new long[BUCKETS];
        private final long[] count = new long[BUCKETS];

        Ring() {
            java.util.Arrays.fill(bucket, -1);
        }

        synchronized void add(long now) {
            int slot = (int) (now % BUCKETS);
            if (bucket[slot] != now) {
                bucket[slot] = now;
                count[slot] = 0;
            }
            count[slot]++;
        }

        /** Buckets up to {@code forgotten} are past the retention: zero, even where no newer bucket reused their slot yet. */
        synchronized long[] read(long first, long last, long forgotten) {
            long[] counts = new long[(int) (last - first + 1)];
            for (long b = Math.max(first, forgotten + 1); b <= last; b++) {
                int slot = (int) (b % BUCKETS);
                counts[(int) (b - first)] = bucket[slot] == b ? count[slot] : 0;
            }
            return counts;
        }
    }
}
