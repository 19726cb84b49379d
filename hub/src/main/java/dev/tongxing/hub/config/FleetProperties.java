package dev.tongxing.hub.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Running several hub replicas as one fleet, under {@code tongxing.fleet} (docs/scale-out.md).
 * The defaults are one process: applied changes fan out in memory and the replica spends every
 * source's whole declared capacity. A replica's identity is {@code tongxing.audit.replica-id}.
 *
 * @param kafka  fan-out of applied changes (and sightings) between replicas through a Kafka topic
 * @param leases the fleet's membership, from leases in the shared database, which sets each
 *               replica's share of every source's declared capacity
 * @param relay  the outbox relay that moves committed changes from the database to the change log
 * @param memoryLogRetention changes the in-process change log keeps for subscribers resuming from
 *               a position (one process only; Kafka's retention applies otherwise)
 */
@ConfigurationProperties("tongxing.fleet")
public record FleetProperties(
        @DefaultValue Kafka kafka,
        @DefaultValue Leases leases,
        @DefaultValue Relay relay,
        @DefaultValue("100000") int memoryLogRetention) {

    public FleetProperties {
        if (memoryLogRetention < 1) {
            throw new IllegalArgumentException("tongxing.fleet.memory-log-retention must be at least 1");
        }
    }

    /**
     * @param enabled           publish applied changes to Kafka and consume them on every replica;
     *                          client settings (bootstrap servers, TLS, SASL) are Spring Boot's
     *                          {@code spring.kafka.*}
     * @param topic             the change topic, keyed by traveler pseudonym
     * @param createTopic       create the topic at start-up if it is missing (local fleets and tests;
     *                          production declares it, e.g. as a Strimzi KafkaTopic)
     * @param partitions        partitions of a created topic
     * @param replicationFactor replication factor of a created topic
     * @param sendTimeout       how long the relay waits for the brokers to acknowledge a batch
     *                          before it gives up and retries the batch later
     */
    public record Kafka(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("tongxing.status-changes") String topic,
            @DefaultValue("false") boolean createTopic,
            @DefaultValue("12") int partitions,
            @DefaultValue("3") short replicationFactor,
            @DefaultValue("10s") Duration sendTimeout) {

        public Kafka {
            if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
                throw new IllegalArgumentException("tongxing.fleet.kafka.topic must be 1..249 characters of letters, digits, '.', '_' or '-'");
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("tongxing.fleet.kafka.partitions must be at least 1");
            }
            if (replicationFactor < 1) {
                throw new IllegalArgumentException("tongxing.fleet.kafka.replication-factor must be at least 1");
            }
            if (sendTimeout == null || sendTimeout.isNegative() || sendTimeout.isZero()) {
                throw new IllegalArgumentException("tongxing.fleet.kafka.send-timeout must be positive");
            }
        }
    }

    /**
     * @param enabled   take a lease in the database and share capacity with the other live leases;
     *                  off means this process is the whole fleet
     * @param heartbeat how often a replica renews its lease and recounts the fleet
     * @param ttl       a lease not renewed for this long has left the fleet; a replica that could not
     *                  renew its own lease for this long stops calling sources (its share goes to 0)
     *                  before the others can take it over
     */
    public record Leases(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("1s") Duration heartbeat,
            @DefaultValue("4s") Duration ttl) {

        public Leases {
            if (heartbeat == null || heartbeat.toMillis() < 50) {
                throw new IllegalArgumentException("tongxing.fleet.leases.heartbeat must be at least 50ms");
            }
            if (ttl == null || ttl.compareTo(heartbeat.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("tongxing.fleet.leases.ttl must be at least twice tongxing.fleet.leases.heartbeat");
            }
        }
    }

    /**
     * @param pollInterval how often the relay looks for committed changes nobody nudged it about
     *                     (another replica's, or left by a crash between commit and publish)
     * @param batchSize    changes the relay moves per transaction
     */
    public record Relay(
            @DefaultValue("500ms") Duration pollInterval,
            @DefaultValue("500") int batchSize) {

        public Relay {
            if (pollInterval == null || pollInterval.toMillis() < 10) {
                throw new IllegalArgumentException("tongxing.fleet.relay.poll-interval must be at least 10ms");
            }
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("tongxing.fleet.relay.batch-size must be in 1..10000");
            }
        }
    }
}
