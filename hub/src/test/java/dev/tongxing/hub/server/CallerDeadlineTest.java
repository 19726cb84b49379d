package dev.tongxing.hub.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.hub.config.HubProperties;
import io.grpc.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * What the sources get of a caller's deadline: all of it but the answer reserve (50 ms by
 * default), and never less than three quarters of it.
 */
class CallerDeadlineTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private static CallerDeadline deadlines(Map<String, String> settings) {
        HubProperties properties = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("tongxing", HubProperties.class);
        return new CallerDeadline(properties);
    }

    private Duration remainingWithin(CallerDeadline deadlines, long callerMillis) throws Exception {
        return Context.current().withDeadlineAfter(callerMillis, TimeUnit.MILLISECONDS, timer).call(deadlines::remaining);
    }

    @Test
    void aCheckpointsTwoHundredMillisecondsLeaveOneHundredAndFiftyForTheSources() throws Exception {
        assertThat(remainingWithin(deadlines(Map.of()), 200)).isBetween(Duration.ofMillis(120), Duration.ofMillis(150));
    }

    @Test
    void aShortDeadlineKeepsBackAQuarterAtMost() throws Exception {
        assertThat(remainingWithin(deadlines(Map.of()), 60)).isBetween(Duration.ofMillis(30), Duration.ofMillis(45));
    }

    @Test
    void theReserveIsConfigurableAndACallerWithoutDeadlineGetsTheDefault() throws Exception {
        CallerDeadline deadlines = deadlines(Map.of("tongxing.grpc.answer-reserve", "20ms", "tongxing.grpc.default-deadline", "1s"));
        assertThat(remainingWithin(deadlines, 200)).isBetween(Duration.ofMillis(150), Duration.ofMillis(180));
        assertThat(deadlines.remaining()).isEqualTo(Duration.ofMillis(980));
    }
}
