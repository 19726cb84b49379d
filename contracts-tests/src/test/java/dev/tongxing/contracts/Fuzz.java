package dev.tongxing.contracts;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Seeded mutation fuzzing on plain JUnit. Case {@code i} of a run is generated from its own
 * {@link Random} seeded by the run's seed and {@code i}, so a failure names exactly what to replay;
 * {@code -Dtongxing.fuzz.seed=N} explores other cases than the suite's fixed ones.
 */
final class Fuzz {

    static final int CASES = 100_000;

    private static final Map<String, Long> OUTCOMES = new ConcurrentHashMap<>();

    private Fuzz() {}

    /** Counts what a case came to (a colour, NOT_FOUND, rejected), for the run's summary line. */
    static void collect(String outcome) {
        OUTCOMES.merge(outcome, 1L, Long::sum);
    }

    static <T> void run(String name, Function<Random, T> generator, Consumer<T> check) {
        long seed = Long.getLong("tongxing.fuzz.seed", name.hashCode());
        OUTCOMES.clear();
        long started = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            T generated = generator.apply(new Random(seed * 1_000_003L + i));
            try {
                check.accept(generated);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(name + ": case " + i + " of seed " + seed + " failed on " + generated, e);
            }
        }
        System.out.printf("%s: %,d cases in %,d ms; outcomes %s%n", name, CASES,
                (System.nanoTime() - started) / 1_000_000, new TreeMap<>(OUTCOMES));
    }
}
