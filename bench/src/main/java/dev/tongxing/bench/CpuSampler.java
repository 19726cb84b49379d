package dev.tongxing.bench;

import dev.tongxing.bench.targets.CpuUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Samples the CPU time of the bench's processes (and of a database server it started) ten times a second, so a run's CPU can be taken
 * over exactly its measured span (the generator reports that span in wall-clock time).
 */
final class CpuSampler implements AutoCloseable {

    /** How often every watched process is read; the newest span this long may not be sampled yet. */
    static final long PERIOD_MILLIS = 100;

    private record Sample(long atMillis, long cpuNanos, long compilerNanos) {}

    private final Map<CpuUser, List<Sample>> samples = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    CpuSampler() {
        thread = Thread.ofPlatform().daemon().name("cpu-sampler").start(() -> {
            while (running) {
                long now = System.currentTimeMillis();
                samples.forEach((process, list) -> {
                    synchronized (list) {
                        list.add(new Sample(now, process.cpu().toNanos(), process.compilerCpu().toNanos()));
                    }
                });
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void watch(CpuUser process) {
        samples.put(process, new ArrayList<>());
    }

    void forget(CpuUser process) {
        samples.remove(process);
    }

    /** Cores the process kept busy on average between two wall-clock instants. */
    double coresBetween(CpuUser process, long fromMillis, long toMillis) {
        return between(process, fromMillis, toMillis, Sample::cpuNanos);
    }

    /** Cores the process's JIT compiler threads kept busy between two instants: warm-up still under way. */
    double compilerCoresBetween(CpuUser process, long fromMillis, long toMillis) {
        return between(process, fromMillis, toMillis, Sample::compilerNanos);
    }

    private double between(CpuUser process, long fromMillis, long toMillis, ToLongFunction<Sample> nanos) {
        List<Sample> list = samples.get(process);
        if (list == null || toMillis <= fromMillis) {
            return 0;
        }
        synchronized (list) {
            return (at(list, toMillis, nanos) - at(list, fromMillis, nanos)) / 1e6 / (toMillis - fromMillis);
        }
    }

    private static double at(List<Sample> list, long millis, ToLongFunction<Sample> nanos) {
        Sample before = null;
        for (Sample s : list) {
            if (s.atMillis() >= millis) {
                if (before == null) {
                    return nanos.applyAsLong(s);
                }
                double f = (millis - before.atMillis()) / (double) Math.max(1, s.atMillis() - before.atMillis());
                return nanos.applyAsLong(before) + f * (nanos.applyAsLong(s) - nanos.applyAsLong(before));
            }
            before = s;
        }
        return before == null ? 0 : nanos.applyAsLong(before);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
