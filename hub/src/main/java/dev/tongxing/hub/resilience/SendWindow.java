package dev.tongxing.hub.resilience;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Keeps the time from a capacity permit to the request leaving the hub within {@code send-within}.
 * A permit is taken on the caller's thread and the request is sent from an upstream thread; when
 * the hub is overloaded that hop can take tens of milliseconds, and unevenly, so permits spread
 * evenly over a second could reach the source bunched into a shorter span: the source would see
 * more than its declared capacity in some second although the limiter never handed out more. A
 * call whose permit has grown older than the slack takes a fresh one just before sending, or is
 * not sent ({@link PermitExpired}: a scan is answered without the source, a manifest entry or
 * prefetch waits for a permit again). {@link CapacityLimits} spreads permits over one second plus
 * the slack, so every second at the source stays within the capacity.
 */
final class SendWindow {

    private final String sourceId;
    private final long slackNanos;
    private final RateLimiter rateLimiter;
    private final BooleanSupplier fleetShare;
    private final Timer delay;
    private final Counter renewed;
    private final Counter refused;

    SendWindow(String sourceId, Duration slack, RateLimiter rateLimiter, BooleanSupplier fleetShare, MeterRegistry meters) {
        this.sourceId = sourceId;
        this.slackNanos = slack.toNanos();
        this.rateLimiter = rateLimiter;
        this.fleetShare = fleetShare;
        this.delay = Timer.builder("tongxing.source.send_delay")
                .description("Time from a call's capacity permit to its request being sent")
                .tag("source", sourceId)
                .publishPercentiles(0.99, 0.999)
                .register(meters);
        this.renewed = Counter.builder("tongxing.source.stale_permits")
                .description("Permits older than send-within when their request was about to be sent")
                .tag("source", sourceId).tag("outcome", "renewed").register(meters);
        this.refused = Counter.builder("tongxing.source.stale_permits")
                .description("Permits older than send-within when their request was about to be sent")
                .tag("source", sourceId).tag("outcome", "not-sent").register(meters);
    }

    /** A permit granted now, for one call. */
    SendPermit granted() {
        long grantedNanos = System.nanoTime();
        return () -> beforeSend(grantedNanos);
    }

    private void beforeSend(long grantedNanos) {
        long waited = System.nanoTime() - grantedNanos;
        delay.record(waited, TimeUnit.NANOSECONDS);
        if (waited <= slackNanos) {
            return;
        }
        if (rateLimiter.acquirePermission() && fleetShare.getAsBoolean()) {
            renewed.increment();
            return;
        }
        refused.increment();
        throw new PermitExpired(sourceId, TimeUnit.NANOSECONDS.toMillis(waited));
    }
}
