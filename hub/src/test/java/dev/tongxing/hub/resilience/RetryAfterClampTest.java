package dev.tongxing.hub.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.hub.config.ResilienceProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A source's Retry-After rests it, but never for longer than {@code breaker.max-retry-after}. */
class RetryAfterClampTest {

    private static SourceGuard guard(Duration maxRetryAfter) {
        return TestGuards.guard("shaanxi-ymt", 200, maxRetryAfter, new SimpleMeterRegistry(),
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory()));
    }

    private static void askedToRestFor(SourceGuard guard, Duration retryAfter) {
        guard.call(() -> CompletableFuture.failedFuture(
                new RejectedAnswer("shaanxi-ymt", "HTTP 429", Optional.of(retryAfter)))).exceptionally(failure -> null).join();
    }

    @Test
    void anElevenDayRetryAfterOpensTheBreakerOnlyForTheConfiguredMaximum() {
        SourceGuard guard = guard(Duration.ofMillis(300));
        askedToRestFor(guard, Duration.ofSeconds(999_999));
        assertThat(guard.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        // Unclamped, the breaker would stay open for eleven days; clamped, it half-opens after 300 ms.
        await().atMost(Duration.ofSeconds(10)).until(() -> guard.breaker().getState() == CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void aShortRetryAfterIsHonouredAsAsked() {
        SourceGuard guard = guard(Duration.ofMinutes(5));
        askedToRestFor(guard, Duration.ofMillis(200));
        assertThat(guard.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> guard.breaker().getState() == CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void theMaximumIsValidatedNamingTheProperty() {
        assertThatThrownBy(() -> new ResilienceProperties.Breaker(50, 20, 10, Duration.ofSeconds(5), 3, Duration.ZERO))
                .hasMessageContaining("resilience.breaker.max-retry-after");
        assertThatThrownBy(() -> new ResilienceProperties.Breaker(50, 20, 10, Duration.ofSeconds(5), 3, Duration.ofDays(2)))
                .hasMessageContaining("resilience.breaker.max-retry-after");
    }
}
