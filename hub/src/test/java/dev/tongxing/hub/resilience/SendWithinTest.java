package dev.tongxing.hub.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A call's capacity permit is checked again on the thread that sends, right before it does: a
 * permit that waited longer than send-within (25 ms here) for that thread is renewed when the
 * capacity has one for this moment, and otherwise the call is not sent: a scan is answered without
 * the source, a manifest entry waits for another permit. A source thus never sees
 * permits from a span longer than one second plus the slack arrive within one of its seconds.
 */
class SendWithinTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private SourceGuard guard(int capacity) {
        return TestGuards.guard("shaanxi-ymt", capacity, meters);
    }

    /** A call sent from another thread after {@code waitMillis}, as the hub's upstream threads do under load. */
    private static CompletableFuture<String> sentAfter(SourceGuard guard, long waitMillis, AtomicInteger sent) {
        return guard.call(Demand.scan(), (SourceGuard.Attempt<String>) permit -> CompletableFuture.supplyAsync(() -> {
            permit.beforeSend();
            sent.incrementAndGet();
            return "answered";
        }, CompletableFuture.delayedExecutor(waitMillis, TimeUnit.MILLISECONDS)));
    }

    private double staleCount(String outcome) {
        return meters.get("tongxing.source.stale_permits").tag("outcome", outcome).counter().count();
    }

    @Test
    void aPermitSentWithinTheSlackIsUsedAsItIs() throws Exception {
        SourceGuard guard = guard(200);
        AtomicInteger sent = new AtomicInteger();
        assertThat(sentAfter(guard, 0, sent).get(5, TimeUnit.SECONDS)).isEqualTo("answered");
        assertThat(sent).hasValue(1);
        assertThat(staleCount("renewed") + staleCount("not-sent")).isZero();
        assertThat(meters.get("tongxing.source.send_delay").timer().count()).isEqualTo(1);
    }

    @Test
    void aStalePermitIsRenewedWhenTheCapacityHasOneNow() throws Exception {
        SourceGuard guard = guard(200);
        AtomicInteger sent = new AtomicInteger();
        assertThat(sentAfter(guard, 80, sent).get(5, TimeUnit.SECONDS)).isEqualTo("answered");
        assertThat(sent).hasValue(1);
        assertThat(staleCount("renewed")).isEqualTo(1);
        assertThat(meters.get("tongxing.source.send_delay").timer().max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(80);
    }

    @Test
    void aStalePermitIsNotSentWhenTheCapacityIsUsedUpAndTheBreakerLearnsNothing() throws Exception {
        // 2/s: one permit a cycle of 1.025 s. The call takes it and then waits 80 ms for its thread;
        // by then its permit is stale and the cycle has none left.
        SourceGuard guard = guard(2);
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<String> late = sentAfter(guard, 80, sent);
        assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SourceRefused.class)
                .hasMessageStartingWith("shaanxi-ymt: declared capacity reached while the call waited ")
                .hasMessageEndingWith(" ms to be sent; not asked");
        assertThat(sent).hasValue(0);
        assertThat(staleCount("not-sent")).isEqualTo(1);
        // Not a failure of the source: the breaker records nothing.
        assertThat(guard.breaker().getMetrics().getNumberOfFailedCalls()).isZero();
        assertThat(guard.breaker().getMetrics().getNumberOfBufferedCalls()).isZero();
        assertThat(guard.rateLimitedCount()).isEqualTo(1);
    }

    @Test
    void aManifestEntryWhosePermitExpiredWaitsForAnotherInsteadOfFailing() throws Exception {
        SourceGuard guard = guard(2);
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        long started = System.nanoTime();
        // The first attempt waits 80 ms for its thread (its permit expires and the 1.025 s cycle has no
        // other); the entry then waits in the queue for the next cycle's permit and is sent at once.
        CompletableFuture<String> entry = guard.call(Demand.manifest(Duration.ofSeconds(5)),
                (SourceGuard.Attempt<String>) permit -> CompletableFuture.supplyAsync(() -> {
                    permit.beforeSend();
                    sent.incrementAndGet();
                    return "answered";
                }, CompletableFuture.delayedExecutor(attempts.getAndIncrement() == 0 ? 80 : 0, TimeUnit.MILLISECONDS)));
        assertThat(entry.get(5, TimeUnit.SECONDS)).isEqualTo("answered");
        assertThat(attempts).hasValue(2);
        assertThat(sent).hasValue(1);
        assertThat(staleCount("not-sent")).isEqualTo(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("waited for the next cycle").isGreaterThanOrEqualTo(900);
        assertThat(guard.breaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }
}
