package dev.tongxing.bench.load;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which traveler the next call asks about: always the same one, uniformly any of {@code N}, a
 * Zipf law over {@code N} (a few travelers scanned often, most rarely, as at a city's gates), or
 * each in turn (to fill a cache).
 */
public sealed interface KeyDistribution {

    long next(long sequence);

    static KeyDistribution of(String name, long travelers, double zipfExponent, long offset) {
        return switch (name) {
            case "one" -> new One(offset);
            case "uniform" -> new Uniform(travelers, offset);
            case "zipf" -> new Zipf(travelers, zipfExponent, offset);
            case "sequential" -> new Sequential(travelers, offset);
            default -> throw new IllegalArgumentException("--keys must be one, uniform, zipf or sequential, not " + name);
        };
    }

    record One(long key) implements KeyDistribution {
        public long next(long sequence) {
            return key;
        }
    }

    record Uniform(long travelers, long offset) implements KeyDistribution {
        public long next(long sequence) {
            return offset + ThreadLocalRandom.current().nextLong(travelers);
        }
    }

    record Sequential(long travelers, long offset) implements KeyDistribution {
        public long next(long sequence) {
            return offset + sequence % travelers;
        }
    }

    /** Rank {@code r} (0 the hottest) drawn with probability proportional to {@code 1/(r+1)^s}, by inverting the CDF. */
    final class Zipf implements KeyDistribution {
        private final double[] cumulative;
        private final long offset;

        Zipf(long travelers, double exponent, long offset) {
            if (travelers > 50_000_000) {
                throw new IllegalArgumentException("--travelers: at most 50,000,000 for a Zipf law (its table is held in memory)");
            }
            this.offset = offset;
            cumulative = new double[(int) travelers];
            double sum = 0;
            for (int rank = 0; rank < cumulative.length; rank++) {
                sum += 1 / Math.pow(rank + 1, exponent);
                cumulative[rank] = sum;
            }
            for (int rank = 0; rank < cumulative.length; rank++) {
                cumulative[rank] /= sum;
            }
        }

        public long next(long sequence) {
            int at = Arrays.binarySearch(cumulative, ThreadLocalRandom.current().nextDouble());
            return offset + (at >= 0 ? at : Math.min(-at - 1, cumulative.length - 1));
        }
    }
}
