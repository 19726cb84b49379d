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
 * @param checkpoints checkpoint id to policy id
 * @param checkpointProvinces checkpoint id to the GB/T 2260 code of the province whose territory it
 *                    stands in; a lookup there counts as "seen in that province" for
 *                    {@code ProvinceExchange.SubscribeStatusChanges}. Checkpoints not listed are in no
 *                    province's territory.
 */
@ConfigurationProperties("tongxing")
public record HubProperties(
        @DefaultValue Grpc grpc,
        @DefaultValue Demo demo,
        Map<String, SourceProperties> sources,
        Map<String, PolicyProperties> policies,
        Map<String, String> checkpoints,
        Map<String, String> checkpointProvinces) {

    public HubProperties {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
        sources.keySet().forEach(SourceProperties::checkId);
        policies = policies == null ? Map.of() : Map.copyOf(policies);
        checkpoints = checkpoints == null ? Map.of() : Map.copyOf(checkpoints);
        checkpointProvinces = checkpointProvinces == null ? Map.of() : Map.copyOf(checkpointProvinces);
        for (Map.Entry<String, String> checkpoint : checkpoints.entrySet()) {
            if (!checkpoint.getValue().equals("default") && !policies.containsKey(checkpoint.getValue())) {
                throw new IllegalArgumentException("tongxing.checkpoints." + checkpoint.getKey()
                        + " names unknown policy '" + checkpoint.getValue() + "'");
            }
        }
        for (Map.Entry<String, String> checkpoint : checkpointProvinces.entrySet()) {
            if (!checkpoint.getValue().matches("[1-8]\\d")) {
                throw new IllegalArgumentException("tongxing.checkpoint-provinces." + checkpoint.getKey()
                        + " '" + checkpoint.getValue() + "' is not a two-digit GB/T 2260 province code");
            }
        }
    }

    /**
     * @param host          address to listen on
     * @param port          port; 0 picks a free one
     * @param maxInboundMessage largest request accepted
     * @param defaultDeadline   deadline applied when a caller sets none
     */
    public record Grpc(
            @DefaultValue("127.0.0.1") String host,
            @DefaultValue("9090") int port,
            @DefaultValue("1048576") int maxInboundMessage,
            @DefaultValue("2s") Duration defaultDeadline) {

        public Grpc {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("tongxing.grpc.port " + port + " is not a port number");
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
