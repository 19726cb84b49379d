package dev.tongxing.hub.config;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The hub's configuration under {@code tongxing}. Read once at start-up; a bad value stops the
 * hub with a message naming the property.
 *
 * @param grpc        the gRPC listener
 * @param demo        demo mode: the sources are simulated systems on loopback (off in the hub itself)
 * @param sources     every source the hub may ask, by source id
 * @param policies    verdict policies by id; {@code default} is used when a checkpoint names none
 * @param checkpoints checkpoint id (the checkpoint's client id in the identity provider) to policy id;
 *                    the territory a checkpoint stands in is its token's province claim
 */
@ConfigurationProperties("tongxing")
public record HubProperties(
        @DefaultValue Grpc grpc,
        @DefaultValue Demo demo,
        Map<String, SourceProperties> sources,
        Map<String, PolicyProperties> policies,
        Map<String, String> checkpoints) {

    public HubProperties {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
        sources.keySet().forEach(SourceProperties::checkId);
        policies = policies == null ? Map.of() : Map.copyOf(policies);
        checkpoints = checkpoints == null ? Map.of() : Map.copyOf(checkpoints);
        for (Map.Entry<String, String> checkpoint : checkpoints.entrySet()) {
            if (!checkpoint.getValue().equals("default") && !policies.containsKey(checkpoint.getValue())) {
                throw new IllegalArgumentException("tongxing.checkpoints." + checkpoint.getKey()
                        + " names unknown policy '" + checkpoint.getValue() + "'");
            }
        }
    }

    /**
     * @param host          address to listen on
     * @param port          port; 0 picks a free one
     * @param maxInboundMessage largest request accepted
     * @param defaultDeadline   deadline applied when a caller sets none
     * @param answerReserve     time kept back from a caller's deadline for assembling, auditing and
     *                      sending the answer once the sources still out are given up on; at most a
     *                      quarter of what the caller has left. Default 50 ms: in the bench's surge
     *                      on two cores a young collection paused the hub 60-100 ms, and with 20 ms
     *                      kept back, answers given up on in time still reached the checkpoint late
     *                      (sources answer within 60 ms at p99 when the hub is not overloaded)
     * @param maxConnectionIdle a connection without a call for this long is closed gracefully (the
     *                      client reconnects on its next call); default 15 minutes, so checkpoint
     *                      devices and scripts that went away without closing do not keep the
     *                      hub's per-connection memory for ever, while a checkpoint scanning every
     *                      few minutes keeps its warm connection
     * @param maxConnectionAge  a connection is asked to close (GOAWAY, with gRPC's own ±10 % jitter)
     *                      after this long, whatever it carries; default 30 minutes, so clients
     *                      spread over hub replicas again after a scale-out or restart and no
     *                      connection holds its streams indefinitely
     * @param maxConnectionAgeGrace how long calls still running on a connection past its age may
     *                      continue before it is closed; default 5 minutes: far more than any lookup
     *                      or manifest needs, and time for a subscriber to open its next
     *                      {@code SubscribeStatusChanges} stream on a new connection before the old
     *                      one is cut, so no change falls in a gap
     */
    public record Grpc(
            @DefaultValue("127.0.0.1") String host,
            @DefaultValue("9090") int port,
            @DefaultValue("1048576") int maxInboundMessage,
            @DefaultValue("2s") Duration defaultDeadline,
            @DefaultValue("50ms") Duration answerReserve,
            @DefaultValue("15m") Duration maxConnectionIdle,
            @DefaultValue("30m") Duration maxConnectionAge,
            @DefaultValue("5m") Duration maxConnectionAgeGrace) {

        public Grpc {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("tongxing.grpc.port " + port + " is not a port number");
            }
            if (answerReserve == null || answerReserve.isNegative() || answerReserve.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("tongxing.grpc.answer-reserve must be 0..1s, got " + answerReserve);
            }
            requireAtLeastOneSecond(maxConnectionIdle, "tongxing.grpc.max-connection-idle");
            requireAtLeastOneSecond(maxConnectionAge, "tongxing.grpc.max-connection-age");
            requireAtLeastOneSecond(maxConnectionAgeGrace, "tongxing.grpc.max-connection-age-grace");
        }

        /** gRPC itself rounds shorter connection limits up to one second; say so instead. */
        private static void requireAtLeastOneSecond(Duration value, String property) {
            if (value == null || value.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException(property + " must be at least 1s, got " + value);
            }
        }
    }

    /**
     * @param enabled    demo mode: the sources are the simulated systems (started by the demo
     *                   application), and the production refusals do not apply. Off by default; the
     *                   hub alone has no simulators and refuses to start with it on.
     * @param port       loopback port of the simulators; 0 picks a free one. Outside demo mode no
     *                   source may point at it on loopback.
     * @param grpcPort   loopback port of the simulated province that speaks the hub's gRPC contract
     *                   (Sichuan); sources configure it as {@code grpc://127.0.0.1:<grpc-port>}
     * @param travelers  size of the simulated population
     * @param minLatency least simulated latency per answer
     * @param maxLatency most simulated latency per answer
     */
    public record Demo(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("18480") int port,
            @DefaultValue("18481") int grpcPort,
            @DefaultValue("10000") int travelers,
            @DefaultValue("15ms") Duration minLatency,
            @DefaultValue("60ms") Duration maxLatency) {

        public Demo {
            if (maxLatency.compareTo(minLatency) < 0) {
                throw new IllegalArgumentException("tongxing.demo.max-latency must not be below min-latency");
            }
        }
    }
}
