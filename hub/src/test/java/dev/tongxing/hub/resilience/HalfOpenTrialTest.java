package dev.tongxing.hub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.hub.sources.FailureReasons;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * After an outage the breaker half-opens and lets a few trial calls through. A scan that carries
 * one is answered at once instead of waiting out a source that is most likely still down; the
 * trial still reaches the source and decides whether the breaker closes or opens again.
 */
class HalfOpenTrialTest {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    private final SourceGuard guard = TestGuards.guard("guangdong-ykm", 200, Duration.ofMinutes(5), new SimpleMeterRegistry(), scheduler);
    /** Calls that reached the source and have not been answered yet. */
    private final List<CompletableFuture<String>> atTheSource = new ArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private CompletableFuture<String> scan() {
        return guard.call(() -> {
            CompletableFuture<String> call = new CompletableFuture<>();
            atTheSource.add(call);
            return call;
        });
    }

    private void halfOpen() {
        guard.breaker().transitionToOpenState();
        guard.breaker().transitionToHalfOpenState();
    }

    private static void assertAnsweredAtOnceAsRefused(CompletableFuture<String> scan) {
        assertThat(scan).isCompletedExceptionally();
        assertThat(FailureReasons.unwrap(scan.handle((value, failure) -> failure).join()))
                .isInstanceOf(SourceRefused.class)
                .hasMessage("guangdong-ykm: " + SourceGuard.TRIAL_NOT_WAITED_FOR);
    }

    @Test
    void scansCarryingTrialsAreNotKeptWaitingAndTrialsThatFailReopenTheBreaker() {
        halfOpen();
        List<CompletableFuture<String>> scans = List.of(scan(), scan(), scan());
        scans.forEach(HalfOpenTrialTest::assertAnsweredAtOnceAsRefused);
        assertThat(atTheSource).as("every trial still reached the source").hasSize(3);

        CompletableFuture<String> beyondTrials = scan();
        assertThat(beyondTrials.handle((value, failure) -> FailureReasons.unwrap(failure).getMessage()).join())
                .isEqualTo("guangdong-ykm: circuit open after repeated failures; not asked");
        assertThat(atTheSource).hasSize(3);

        atTheSource.forEach(call -> call.completeExceptionally(new TimeoutException("no answer within 800 ms")));
        assertThat(guard.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void trialsThatSucceedCloseTheBreakerAndScansAreWaitedForAgain() {
        halfOpen();
        for (int i = 0; i < 3; i++) {
            assertAnsweredAtOnceAsRefused(scan());
        }
        atTheSource.forEach(call -> call.complete("GREEN"));
        assertThat(guard.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        CompletableFuture<String> scan = scan();
        assertThat(scan).isNotDone();
        atTheSource.get(3).complete("GREEN");
        assertThat(scan.join()).isEqualTo("GREEN");
    }

    @Test
    void aClosedBreakerKeepsTheScanWaitingForTheSource() {
        CompletableFuture<String> scan = scan();
        assertThat(scan).isNotDone();
        atTheSource.get(0).complete("GREEN");
        assertThat(scan.join()).isEqualTo("GREEN");
    }
}
