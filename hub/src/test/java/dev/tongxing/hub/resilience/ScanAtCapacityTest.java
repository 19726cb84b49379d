package dev.tongxing.hub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scans against a source's declared capacity, which the rate limiter hands out per cycle of about
 * 53 ms (CapacityLimits): travelers scanned together at an idle source are all asked, and under a
 * surge past the capacity scans are refused at once, with the capacity as the reason, and the
 * source never receives more than its capacity.
 */
class ScanAtCapacityTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private SourceGuard guard(int capacity) {
        return TestGuards.guard("travel-card-sms", capacity, Duration.ofMinutes(5), meters, scheduler);
    }

    /** One scan: the source's answer, or the reason it was not asked. */
    private static String scan(SourceGuard guard, AtomicInteger asked) {
        try {
            return guard.call(() -> {
                asked.incrementAndGet();
                return CompletableFuture.completedFuture("answered");
            }).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause().getMessage();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void scansArrivingTogetherAtAnIdleSourceAreAllAsked() {
        // 100/s, the carriers' SMS route: five permits a cycle. When cycles were 10 ms it was one,
        // and four of these five were refused while the route was idle.
        SourceGuard guard = guard(100);
        AtomicInteger asked = new AtomicInteger();
        List<CompletableFuture<String>> together = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            together.add(CompletableFuture.supplyAsync(() -> scan(guard, asked)));
        }
        assertThat(together.stream().map(CompletableFuture::join).toList()).containsOnly("answered");
        assertThat(asked).hasValue(5);
        assertThat(guard.rateLimitedCount()).isZero();
    }

    @Test
    void aSurgePastTheCapacityIsStillRefusedQuicklyAndNeverExceedsIt() throws Exception {
        SourceGuard guard = guard(100);
        AtomicInteger asked = new AtomicInteger();
        List<CompletableFuture<String>> surge = new ArrayList<>();
        List<Long> refusalNanos = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        var callers = Executors.newVirtualThreadPerTaskExecutor();
        // 400 scans within about 0.4 s: four times the capacity.
        for (int i = 0; i < 400; i++) {
            surge.add(CompletableFuture.supplyAsync(() -> {
                long sent = System.nanoTime();
                String outcome = scan(guard, asked);
                if (!outcome.equals("answered")) {
                    refusalNanos.add(System.nanoTime() - sent);
                }
                return outcome;
            }, callers));
            if (i % 4 == 3) {
                Thread.sleep(4);
            }
        }
        List<String> outcomes = surge.stream().map(CompletableFuture::join).toList();
        double seconds = (System.nanoTime() - start) / 1e9;
        callers.shutdown();

        assertThat(outcomes).containsOnly("answered", "travel-card-sms: declared capacity reached; not asked");
        assertThat(asked.get()).as("asked within %.2f s", seconds).isLessThanOrEqualTo((int) Math.ceil(seconds) * 100);
        long refused = outcomes.stream().filter(o -> !o.equals("answered")).count();
        assertThat(refused).isGreaterThan(100);
        assertThat(guard.rateLimitedCount()).isEqualTo(refused);
        // Refused at once, not after waiting (the bound leaves room for a loaded machine's scheduling).
        assertThat(refusalNanos.stream().mapToLong(Long::longValue).max().orElseThrow()).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }
}
