package dev.tongxing.bench.load;

import java.util.List;
import java.util.Map;

/**
 * What one load-generator run measured, written as JSON by the generator's process and read by
 * the bench. Latency is counted from each call's intended send time in the open loop (so a stalled
 * target cannot hide its queue), from its actual send time in the closed loop.
 *
 * @param okWithinDeadline calls answered OK no later than {@code deadlineMs} after their intended time
 * @param outcomes         gRPC code, and for OK answers the health code's provenance kind
 * @param bySource         latency per health-code source of the traveler asked about
 * @param generatorCpu     CPU seconds the generator's own process used per second of the run
 *                         (1.0 = one core busy); {@code generatorCpuShare} as a share of the machine
 * @param warmedUpSeconds  unmeasured load before the run: the fixed warm-up and any more it took
 *                         for the JIT compilers to go quiet
 * @param startedAtMillis  wall-clock start of the measured part (epoch ms), so the bench can take
 *                         the targets' CPU over exactly that span
 */
public record LoadResult(String label, String mode, String method, double seconds, int connections, int inFlight,
                         double offeredPerSecond, long sent, long ok, long okWithinDeadline, long deadlineMs,
                         double callsPerSecond, Latency latency, Map<String, Long> outcomes, Map<String, Latency> bySource,
                         List<Second> timeline, double generatorCpu, double generatorCpuShare, int cores,
                         long startedAtMillis, long endedAtMillis, double warmedUpSeconds) {

    public record Latency(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs) {}

    /**
     * One second of the run, by intended send time.
     *
     * @param provenance answered calls by the health code's provenance kind, {@code UNANSWERED} for errors
     */
    public record Second(int second, long sent, long ok, long okWithinDeadline, Map<String, Long> provenance,
                         double p50Ms, double p99Ms) {}

    LoadResult withWarmup(double seconds) {
        return new LoadResult(label, mode, method, this.seconds, connections, inFlight, offeredPerSecond, sent, ok, okWithinDeadline,
                deadlineMs, callsPerSecond, latency, outcomes, bySource, timeline, generatorCpu, generatorCpuShare, cores,
                startedAtMillis, endedAtMillis, seconds);
    }

    public double shareWithinDeadline() {
        return sent == 0 ? 0 : (double) okWithinDeadline / sent;
    }
}
