package dev.tongxing.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many hub replicas a national 9 am peak needs, from what this run measured: the hub's CPU per
 * cached lookup and per lookup that had to ask a source, and the share of lookups a replica's cache
 * answers under a Zipf law, each written out with its inputs.
 *
 * <p>A replica's cache answers a traveler if it was asked about within {@code fresh-for}; with
 * requests spread at random over {@code R} replicas each sees {@code peak/R} lookups a second, so
 * its hit ratio is {@code sum_i p_i (1 - exp(-p_i * peak/R * freshFor))} over the Zipf
 * probabilities {@code p_i}. Routing by traveler (consistent hashing) lets each replica see all
 * lookups of its travelers, which is the same sum at the full peak rate. Ranks are summed in
 * geometrically growing bands, so a population of a billion costs milliseconds.
 */
record NationalModel(double peakPerSecond, long travelers, double zipfExponent, double freshForSeconds, double cpuPerHitMs,
                     double cpuPerMissMs, int coresPerReplica, double targetUtilisation) {

    record Outcome(String routing, double hitRatio, double lookupsPerReplica, int replicas, double missesPerSecond) {}

    List<Outcome> outcomes() {
        List<Outcome> out = new ArrayList<>();
        int replicas = 1;
        for (int i = 0; i < 50; i++) {
            double h = hitRatio(peakPerSecond / replicas);
            int needed = replicasFor(h);
            if (needed == replicas) {
                break;
            }
            replicas = needed;
        }
        double random = hitRatio(peakPerSecond / replicas);
        out.add(new Outcome("any replica (random balancing)", random, perReplica(random), replicasFor(random), peakPerSecond * (1 - random)));
        double affinity = hitRatio(peakPerSecond);
        out.add(new Outcome("by traveler (consistent hashing)", affinity, perReplica(affinity), replicasFor(affinity), peakPerSecond * (1 - affinity)));
        return out;
    }

    /** Lookups a second one replica serves at the target utilisation of its cores. */
    double perReplica(double hitRatio) {
        double cpuMsPerLookup = hitRatio * cpuPerHitMs + (1 - hitRatio) * cpuPerMissMs;
        return coresPerReplica * 1000 * targetUtilisation / cpuMsPerLookup;
    }

    private int replicasFor(double hitRatio) {
        return (int) Math.ceil(peakPerSecond / perReplica(hitRatio));
    }

    double hitRatio(double lookupsPerSecond) {
        double norm = 0, hits = 0;
        long rank = 1;
        while (rank <= travelers) {
            long end = Math.min(travelers, Math.max(rank, (long) (rank * 1.01)));
            long count = end - rank + 1;
            double mid = (rank + end) / 2.0;
            double weight = Math.pow(mid, -zipfExponent);
            norm += weight * count;
            rank = end + 1;
        }
        rank = 1;
        while (rank <= travelers) {
            long end = Math.min(travelers, Math.max(rank, (long) (rank * 1.01)));
            long count = end - rank + 1;
            double p = Math.pow((rank + end) / 2.0, -zipfExponent) / norm;
            hits += count * p * (1 - Math.exp(-p * lookupsPerSecond * freshForSeconds));
            rank = end + 1;
        }
        return hits;
    }

    String inputs() {
        return String.format(Locale.ROOT, "peak %,.0f lookups/s; %,d travelers active, Zipf exponent %.2f; cache fresh-for %.0f s; "
                + "hub CPU %.3f ms per cached lookup and %.3f ms per lookup that asks a source (measured below); replicas of %d cores run at %.0f %%",
                peakPerSecond, travelers, zipfExponent, freshForSeconds, cpuPerHitMs, cpuPerMissMs, coresPerReplica, 100 * targetUtilisation);
    }
}
