package dev.tongxing.hub.server;

import dev.tongxing.hub.config.ShutdownProperties;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * How a replica leaves without losing a scan (SIGTERM, a rolling upgrade, a scale-in), in order:
 * <ol>
 *   <li>the health service reports NOT_SERVING, so readiness probes and load balancers stop
 *       sending new work here;</li>
 *   <li>calls are still taken for {@code tongxing.shutdown.not-serving-delay}, the time the load
 *       balancer needs to notice;</li>
 *   <li>the listener stops taking calls (new connections refused, GOAWAY on the open ones, so
 *       clients move to another replica); endless streams end with UNAVAILABLE and bidirectional
 *       streams end once they have answered what they took ({@link DrainableCalls});</li>
 *   <li>the calls in flight have {@code tongxing.shutdown.grace-period} to finish; those still
 *       running then end with UNAVAILABLE, which clients retry on another replica.</li>
 * </ol>
 * The {@value #LIVENESS} health name stays SERVING throughout: a draining replica is alive, and a
 * liveness probe must not restart it while it finishes its calls.
 */
@Component
public class GracefulDrain {

    /** Health service name for liveness probes: SERVING while the listener is up, draining or not. */
    public static final String LIVENESS = "liveness";

    private static final Logger log = LoggerFactory.getLogger(GracefulDrain.class);
    /** After the grace period: how long the ended calls' trailers have to reach their clients. */
    private static final Duration LAST_WAIT = Duration.ofSeconds(2);

    private final ShutdownProperties settings;
    private final DrainableCalls calls = new DrainableCalls();
    private volatile DrainReport lastDrain;

    public GracefulDrain(ShutdownProperties settings) {
        this.settings = settings;
    }

    /** The outermost interceptor of the listener, on every service: it lets the drain end calls. */
    public ServerInterceptor interceptor() {
        return calls;
    }

    /**
     * What one drain did, for the log and for tests.
     *
     * @param notServingAfter time from the start of the drain until NOT_SERVING was reported
     * @param closedAfter     time until the listener stopped taking calls
     * @param runningAtClose  calls running when it did (streams included)
     * @param endedAtGraceEnd calls still running at the end of the grace period, ended with UNAVAILABLE
     * @param took            time until the server had terminated
     */
    public record DrainReport(Duration notServingAfter, Duration closedAfter, int runningAtClose, int endedAtGraceEnd, Duration took) { }

    /** The last drain of this replica, or null. */
    public DrainReport lastDrain() {
        return lastDrain;
    }

    /**
     * Drains and terminates {@code server}; returns once it has terminated.
     *
     * @param serving the health service names to turn NOT_SERVING ("" and every service)
     */
    public DrainReport drain(Server server, HealthStatusManager health, Collection<String> serving) {
        long start = System.nanoTime();
        serving.forEach(name -> health.setStatus(name, ServingStatus.NOT_SERVING));
        Duration notServing = since(start);
        log.info("Draining: NOT_SERVING reported; taking calls for {} more, then {} for the calls in flight",
                settings.notServingDelay(), settings.gracePeriod());
        Duration closed = notServing;
        int running = 0;
        int ended = 0;
        try {
            sleep(settings.notServingDelay());
            server.shutdown();
            running = calls.drain();
            closed = since(start);
            if (!server.awaitTermination(settings.gracePeriod().toNanos(), TimeUnit.NANOSECONDS)) {
                ended = endTheRest(server);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = endTheRest(server);
        }
        health.enterTerminalState();
        DrainReport report = new DrainReport(notServing, closed, running, ended, since(start));
        lastDrain = report;
        log.info("Drained in {} ms: {} calls running when the listener closed, {} ended with UNAVAILABLE at the end of the grace period",
                report.took().toMillis(), running, ended);
        return report;
    }

    /**
     * Ends the calls still running with UNAVAILABLE and lets their trailers go out before the
     * connections are cut: shutdownNow alone would reset the streams, which clients see as
     * CANCELLED and do not retry.
     */
    private int endTheRest(Server server) {
        server.shutdown();
        int ended = calls.endAll();
        try {
            if (!server.awaitTermination(LAST_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        return ended;
    }

    private static void sleep(Duration delay) throws InterruptedException {
        if (!delay.isZero()) {
            Thread.sleep(delay);
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
