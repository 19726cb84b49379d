package dev.tongxing.hub.server;

import dev.tongxing.hub.config.HubProperties;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * How long the current caller can still wait. Callers without a deadline get the configured
 * default, so that no request can hold upstream resources forever.
 */
@Component
public class CallerDeadline {

    /** Left for merging and sending the answer after the sources are given up on. */
    static final Duration RESERVE = Duration.ofMillis(20);

    private final Duration defaultDeadline;

    public CallerDeadline(HubProperties properties) {
        this.defaultDeadline = properties.grpc().defaultDeadline();
    }

    public Duration remaining() {
        Deadline deadline = Context.current().getDeadline();
        Duration left = deadline == null ? defaultDeadline : Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS));
        if (left.compareTo(defaultDeadline) > 0) {
            left = defaultDeadline;
        }
        return left.minus(RESERVE);
    }
}
