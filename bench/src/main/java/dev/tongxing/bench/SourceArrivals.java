package dev.tongxing.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tongxing.simulators.SimulatedSources;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What each simulated source received during a run, as the source itself counted it (per 10 ms,
 * on arrival). The declared capacity is a promise about every one-second window at the source, so
 * that is where the bench measures it: the highest count in any window of one second, slid in
 * 10 ms steps, against the capacity.
 */
final class SourceArrivals {

    /** Hub source ids whose simulator counts under another name: the one-code platform serves by province code. */
    private static final Map<String, String> SIMULATOR_NAMES = Map.of("shaanxi-ymt", "ymt-61");

    private final long firstBucketMillis;
    private final int bucketMillis;
    private final JsonNode systems;

    SourceArrivals(long firstBucketMillis, int bucketMillis, JsonNode systems) {
        this.firstBucketMillis = firstBucketMillis;
        this.bucketMillis = bucketMillis;
        this.systems = systems;
    }

    /** Reads the sources' counts from {@code fromMillis} to {@code toMillis} (epoch milliseconds). */
    static SourceArrivals fetch(int sourcesHttpPort, long fromMillis, long toMillis) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + sourcesHttpPort + SimulatedSources.ARRIVALS_PATH + "?from=" + fromMillis + "&to=" + toMillis);
        JsonNode body = new ObjectMapper().readTree(LoopbackGet.body(uri));
        return new SourceArrivals(body.get("firstBucketMillis").asLong(), body.get("bucketMillis").asInt(), body.get("systems"));
    }

    /** Arrivals at the source in [fromMillis, toMillis), to the bucket. */
    long count(String sourceId, long fromMillis, long toMillis) {
        JsonNode counts = counts(sourceId);
        long total = 0;
        for (int i = bucket(fromMillis); i < bucket(toMillis); i++) {
            total += i >= 0 && i < counts.size() ? counts.get(i).asLong() : 0;
        }
        return total;
    }

    /** The most arrivals in any one-second window starting within [fromMillis, toMillis - 1 s], slid one bucket at a time. */
    long busiestSecond(String sourceId, long fromMillis, long toMillis) {
        int window = 1000 / bucketMillis;
        JsonNode counts = counts(sourceId);
        int first = Math.max(0, bucket(fromMillis));
        int last = Math.min(counts.size(), bucket(toMillis));
        long inWindow = 0;
        long busiest = 0;
        for (int i = first; i < last; i++) {
            inWindow += counts.get(i).asLong();
            if (i - window >= first) {
                inWindow -= counts.get(i - window).asLong();
            }
            busiest = Math.max(busiest, inWindow);
        }
        return busiest;
    }

    /** Arrivals in each whole second from {@code startMillis}, as {second, count} points. */
    List<double[]> perSecond(String sourceId, long startMillis, int seconds) {
        List<double[]> points = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            points.add(new double[] {s, count(sourceId, startMillis + s * 1000L, startMillis + (s + 1) * 1000L)});
        }
        return points;
    }

    private JsonNode counts(String sourceId) {
        JsonNode counts = systems.get(SIMULATOR_NAMES.getOrDefault(sourceId, sourceId));
        return counts == null ? JsonNodeFactory.instance.arrayNode() : counts;
    }

    private int bucket(long millis) {
        return (int) Math.floorDiv(millis - firstBucketMillis, bucketMillis);
    }
}
