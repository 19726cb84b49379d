package dev.tongxing.hub.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a hub replica leaves (SIGTERM, a rolling upgrade, a scale-in) under {@code tongxing.shutdown}.
 * The drain ({@code server.GracefulDrain}) reports NOT_SERVING, keeps serving for
 * {@code not-serving-delay}, then stops taking calls, ends long-lived streams with UNAVAILABLE and
 * gives the calls in flight {@code grace-period} to finish. A Kubernetes pod's
 * {@code terminationGracePeriodSeconds} must exceed the two together (deploy/k8s).
 *
 * @param notServingDelay how long the replica keeps taking calls after it reports NOT_SERVING;
 *                        default 0s (a developer's Ctrl-C). Behind a load balancer this is the
 *                        time it needs to see the replica leave (Kubernetes: endpoint removal
 *                        reaching every node's kube-proxy, a few seconds), so no new connection
 *                        meets a closed listener.
 * @param gracePeriod     how long the calls in flight have to finish once the replica stops
 *                        taking calls; default 20s, ten times the default call deadline, so every
 *                        scan and manifest entry in flight ends normally. Calls still running then
 *                        end with UNAVAILABLE, which clients retry on another replica.
 */
@ConfigurationProperties("tongxing.shutdown")
public record ShutdownProperties(
        @DefaultValue("0s") Duration notServingDelay,
        @DefaultValue("20s") Duration gracePeriod) {

    public ShutdownProperties {
        if (notServingDelay == null || notServingDelay.isNegative() || notServingDelay.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("tongxing.shutdown.not-serving-delay must be 0s..5m, got " + notServingDelay);
        }
        if (gracePeriod == null || gracePeriod.isNegative() || gracePeriod.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("tongxing.shutdown.grace-period must be 0s..10m, got " + gracePeriod);
        }
    }
}
