package dev.tongxing.bench;

import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop load: a fixed number of calls in flight, each completion starting the next, for a
 * bounded time. Latency goes into an HdrHistogram; outcomes are counted by gRPC code and by the
 * health-code component's provenance, so shed load shows as what it is.
 */
final class LoadRun {

    record Result(String target, long calls, double perSecond, double p50Ms, double p99Ms, double p999Ms,
                  Map<String, Long> outcomes) {}

    private final ManagedChannel channel;
    private final int concurrency;
    private final Duration duration;
    private final Duration deadline;

    LoadRun(ManagedChannel channel, int concurrency, Duration duration, Duration deadline) {
        this.channel = channel;
        this.concurrency = concurrency;
        this.duration = duration;
        this.deadline = deadline;
    }

    /** Runs calls built by {@code requests} (given a sequence number) against one target. */
    Result run(String target, LongFunction<GetStatusRequest> requests) throws InterruptedException {
        Recorder latencies = new Recorder(TimeUnit.SECONDS.toNanos(30), 3);
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        AtomicLong sequence = new AtomicLong();
        long endAt = System.nanoTime() + duration.toNanos();
        CountDownLatch loops = new CountDownLatch(concurrency);
        TravelerStatusServiceGrpc.TravelerStatusServiceStub stub = TravelerStatusServiceGrpc.newStub(channel);
        long started = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            next(stub, requests, sequence, endAt, latencies, outcomes, loops);
        }
        loops.await(duration.toSeconds() + deadline.toSeconds() + 10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        var histogram = latencies.getIntervalHistogram();
        Map<String, Long> counted = new java.util.TreeMap<>();
        outcomes.forEach((outcome, count) -> counted.put(outcome, count.sum()));
        return new Result(target, histogram.getTotalCount(), histogram.getTotalCount() / seconds,
                histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
                histogram.getValueAtPercentile(99.9) / 1e6, counted);
    }

    private void next(TravelerStatusServiceGrpc.TravelerStatusServiceStub stub, LongFunction<GetStatusRequest> requests,
                      AtomicLong sequence, long endAt, Recorder latencies, Map<String, LongAdder> outcomes, CountDownLatch loops) {
        if (System.nanoTime() >= endAt) {
            loops.countDown();
            return;
        }
        long sent = System.nanoTime();
        stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .getStatus(requests.apply(sequence.getAndIncrement()), new StreamObserver<>() {
                    @Override
                    public void onNext(TravelerStatus status) {
                        Provenance.Kind kind = status.getHealthCode().getProvenance().getKind();
                        outcomes.computeIfAbsent("OK, health code " + kind, k -> new LongAdder()).increment();
                    }

                    @Override
                    public void onError(Throwable t) {
                        latencies.recordValue(System.nanoTime() - sent);
                        outcomes.computeIfAbsent(Status.fromThrowable(t).getCode().name(), k -> new LongAdder()).increment();
                        next(stub, requests, sequence, endAt, latencies, outcomes, loops);
                    }

                    @Override
                    public void onCompleted() {
                        latencies.recordValue(System.nanoTime() - sent);
                        next(stub, requests, sequence, endAt, latencies, outcomes, loops);
                    }
                });
    }
}
