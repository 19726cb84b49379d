package dev.tongxing.bench.targets;

import java.time.Duration;

/** Something on the machine whose CPU time a run is charged with: a bench process, or a server it started. */
public interface CpuUser {

    /** CPU time used so far. */
    Duration cpu();

    /** CPU time its JIT compiler threads used so far; zero where there is none or it cannot be read. */
    default Duration compilerCpu() {
        return Duration.ZERO;
    }
}
