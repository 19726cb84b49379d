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

    private final Duration defaultDeadline;
    /** Left for assembling, auditing and sending the answer after the sources are given up on. */
    private final Duration reserve;

    public CallerDeadline(HubProperties properties) {
        this.defaultDeadline = properties.grpc().defaultDeadline();
        this.reserve = properties.grpc().answerReserve();
    }

    public Duration remaining() {
        Deadline deadline = Context.current().getDeadline();
        Duration left = deadline == null ? defaultDeadline : Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS));
        if (left.compareTo(defaultDeadline) > 0) {
            left = defaultDeadline;
        }
        // A quarter at most: a caller with little time left still gets most of it for the sources.
        Duration quarter = left.dividedBy(4);
        return left.minus(reserve.compareTo(quarter) < 0 ? reserve : quarter);
    }
}
