package dev.tongxing.bench;

import dev.tongxing.bench.targets.ChildProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples the CPU time of the bench's processes ten times a second, so a run's CPU can be taken
 * over exactly its measured span (the generator reports that span in wall-clock time).
 */
final class CpuSampler implements AutoCloseable {

    private record Sample(long atMillis, long cpuNanos) {}

    private final Map<ChildProcess, List<Sample>> samples = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    CpuSampler() {
        thread = Thread.ofPlatform().daemon().name("cpu-sampler").start(() -> {
            while (running) {
                long now = System.currentTimeMillis();
                samples.forEach((process, list) -> {
                    synchronized (list) {
                        list.add(new Sample(now, process.cpu().toNanos()));
                    }
                });
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void watch(ChildProcess process) {
        samples.put(process, new ArrayList<>());
    }

    void forget(ChildProcess process) {
        samples.remove(process);
    }

    /** Cores the process kept busy on average between two wall-clock instants. */
    double coresBetween(ChildProcess process, long fromMillis, long toMillis) {
        List<Sample> list = samples.get(process);
        if (list == null || toMillis <= fromMillis) {
            return 0;
        }
        synchronized (list) {
            return (at(list, toMillis) - at(list, fromMillis)) / 1e6 / (toMillis - fromMillis);
        }
    }

    private static double at(List<Sample> list, long millis) {
        Sample before = null;
        for (Sample s : list) {
            if (s.atMillis() >= millis) {
                if (before == null) {
                    return s.cpuNanos();
                }
                double f = (millis - before.atMillis()) / (double) Math.max(1, s.atMillis() - before.atMillis());
                return before.cpuNanos() + f * (s.cpuNanos() - before.cpuNanos());
            }
            before = s;
        }
        return before == null ? 0 : before.cpuNanos();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
