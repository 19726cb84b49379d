package dev.tongxing.hub.exchange;

import dev.tongxing.hub.config.FleetProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/**
 * The change log as a Kafka topic keyed by traveler pseudonym. The client settings (bootstrap
 * servers, TLS, SASL) are Spring Boot's {@code spring.kafka.*}; what correctness needs is fixed
 * here: an idempotent producer acknowledged by all in-sync replicas, and readers that assign every
 * partition themselves (no consumer group: every replica reads everything, and a subscriber's
 * position is the offsets, not a group's commits) and never reset an offset silently.
 */
final class KafkaChangeLog implements ChangeLog, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaChangeLog.class);
    private static final String KIND = "tongxing-kind";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int SIGHTINGS_WAITING = 10_000;

    private final String topic;
    private final Duration sendTimeout;
    private final DefaultKafkaProducerFactory<String, byte[]> producers;
    private final DefaultKafkaConsumerFactory<String, byte[]> consumers;
    private final Producer<String, byte[]> producer;
    private final List<TopicPartition> partitions;
    private final ThreadPoolExecutor sharing = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(SIGHTINGS_WAITING), Thread.ofPlatform().daemon().name("sighting-share").factory(),
            new ThreadPoolExecutor.DiscardPolicy());

    KafkaChangeLog(KafkaProperties client, FleetProperties.Kafka settings, String replicaId) {
        this.topic = settings.topic();
        this.sendTimeout = settings.sendTimeout();
        Map<String, Object> producing = new HashMap<>(client.buildProducerProperties(null));
        producing.put(ProducerConfig.ACKS_CONFIG, "all");
        producing.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producing.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        producing.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) sendTimeout.toMillis());
        int requestTimeout = (int) Math.min(sendTimeout.toMillis(), 30_000);
        producing.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        // Kafka requires delivery.timeout >= linger + request.timeout.
        producing.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(sendTimeout.toMillis(), requestTimeout) + 1_000);
        producing.put(ProducerConfig.CLIENT_ID_CONFIG, "tongxing-" + replicaId);
        producing.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        this.producers = new DefaultKafkaProducerFactory<>(producing, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> consuming = new HashMap<>(client.buildConsumerProperties(null));
        consuming.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consuming.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consuming.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        consuming.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024);
        consuming.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        consuming.put(ConsumerConfig.CLIENT_ID_CONFIG, "tongxing-" + replicaId);
        this.consumers = new DefaultKafkaConsumerFactory<>(consuming, new StringDeserializer(), new ByteArrayDeserializer());
        if (settings.createTopic()) {
            createTopic(client, settings);
        }
        this.producer = producers.createProducer();
        this.partitions = partitionsOf(topic);
    }

    private void createTopic(KafkaProperties client, FleetProperties.Kafka settings) {
        try (Admin admin = Admin.create(client.buildAdminProperties(null))) {
            admin.createTopics(List.of(new NewTopic(topic, settings.partitions(), settings.replicationFactor())))
                    .all().get(30, TimeUnit.SECONDS);
            log.info("created Kafka topic {} with {} partitions", topic, settings.partitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("tongxing.fleet.kafka.create-topic: could not create topic " + topic, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("tongxing.fleet.kafka.create-topic: the brokers did not answer in 30 s", e);
        }
    }

    private List<TopicPartition> partitionsOf(String topic) {
        try (Consumer<String, byte[]> consumer = consumers.createConsumer()) {
            List<PartitionInfo> found = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (found == null || found.isEmpty()) {
                throw new IllegalStateException("tongxing.fleet.kafka.topic: topic " + topic
                        + " does not exist; declare it (docs/scale-out.md) or set tongxing.fleet.kafka.create-topic=true");
            }
            return found.stream().map(info -> new TopicPartition(topic, info.partition()))
                    .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
        }
    }

    @Override
    public int partitions() {
        return partitions.size();
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void append(List<Entry> entries) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(entries.size());
        try {
            for (Entry entry : entries) {
                sent.add(producer.send(record(entry)));
            }
            long deadline = System.nanoTime() + sendTimeout.toNanos();
            for (Future<RecordMetadata> one : sent) {
                one.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new ChangeLogUnavailable("Kafka did not take the changes: " + e.getCause().getClass().getSimpleName(), e.getCause());
        } catch (TimeoutException e) {
            throw new ChangeLogUnavailable("Kafka did not acknowledge the changes within " + sendTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChangeLogUnavailable("interrupted while appending", e);
        } catch (RuntimeException e) {
            throw new ChangeLogUnavailable("Kafka did not take the changes: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Best effort, and never on the caller's thread: a lookup offers a sighting, and
     * {@code producer.send} blocks for up to {@code max.block.ms} while the brokers are away (it waits
     * for metadata or buffer space). The sharing thread takes that wait instead; past
     * {@value #SIGHTINGS_WAITING} waiting sightings, new ones are dropped.
     */
    @Override
    public void offer(Entry entry) {
        sharing.execute(() -> {
            try {
                producer.send(record(entry), (metadata, failure) -> {
                    if (failure != null) {
                        log.debug("a sighting was not shared: {}", failure.getClass().getSimpleName());
                    }
                });
            } catch (RuntimeException e) {
                log.debug("a sighting was not shared: {}", e.getClass().getSimpleName());
            }
        });
    }

    private ProducerRecord<String, byte[]> record(Entry entry) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, entry.pseudonym(), entry.value());
        record.headers().add(KIND, entry.kind().name().getBytes(StandardCharsets.US_ASCII));
        return record;
    }

    @Override
    public ChangePosition end() {
        try (Consumer<String, byte[]> consumer = consumers.createConsumer()) {
            return positionOf(consumer.endOffsets(partitions, Duration.ofSeconds(10)));
        }
    }

    private ChangePosition positionOf(Map<TopicPartition, Long> offsets) {
        long[] next = new long[partitions.size()];
        for (TopicPartition partition : partitions) {
            next[partition.partition()] = offsets.get(partition);
        }
        return new ChangePosition(next);
    }

    @Override
    public AutoCloseable follow(ChangePosition from, Reader reader) {
        Consumer<String, byte[]> consumer = consumers.createConsumer();
        try {
            seek(consumer, from);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        Follower follower = new Follower(consumer, from, reader);
        Thread thread = Thread.ofPlatform().name("change-log-follower").daemon().start(follower);
        return () -> {
            follower.running = false;
            consumer.wakeup();
            thread.join(5_000);
        };
    }

    @Override
    public void replay(ChangePosition from, ChangePosition until, Reader reader) {
        if (from.reached(until)) {
            return;
        }
        try (Consumer<String, byte[]> consumer = consumers.createConsumer()) {
            seek(consumer, from);
            ChangePosition at = from;
            while (!at.reached(until)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    int p = record.partition();
                    if (record.offset() < until.next(p)) {
                        at = at.after(p, record.offset());
                        reader.read(entry(record), p, record.offset(), at);
                    } else {
                        at = at.after(p, until.next(p) - 1);
                    }
                }
                for (TopicPartition partition : partitions) {
                    int p = partition.partition();
                    if (at.next(p) < until.next(p) && consumer.position(partition) >= until.next(p)) {
                        at = at.after(p, until.next(p) - 1);   // the rest were transaction markers or compacted away
                    }
                }
            }
        } catch (OffsetOutOfRangeException e) {
            throw new PositionExpired("position " + from.token() + " is older than the change topic's retention");
        }
    }

    private void seek(Consumer<String, byte[]> consumer, ChangePosition from) {
        if (from.partitions() != partitions.size()) {
            throw new IllegalArgumentException("a position of " + from.partitions() + " partitions for a topic of " + partitions.size());
        }
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
        for (TopicPartition partition : partitions) {
            if (from.next(partition.partition()) < beginning.get(partition)) {
                throw new PositionExpired("position " + from.token() + " is older than the change topic's retention");
            }
        }
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
            consumer.seek(partition, from.next(partition.partition()));
        }
    }

    static Entry entry(ConsumerRecord<String, byte[]> record) {
        Header kind = record.headers().lastHeader(KIND);
        Kind parsed = kind != null && "SIGHTING".equals(new String(kind.value(), StandardCharsets.US_ASCII)) ? Kind.SIGHTING : Kind.CHANGE;
        return new Entry(parsed, record.key(), record.value());
    }

    @Override
    public void close() {
        sharing.shutdownNow();
        producer.close(Duration.ofSeconds(5));
        producers.destroy();
    }

    /** One reader's poll loop on its own thread; the consumer is touched by this thread only (wakeup aside). */
    private final class Follower implements Runnable {
        private final Consumer<String, byte[]> consumer;
        private final Reader reader;
        private ChangePosition at;
        volatile boolean running = true;

        Follower(Consumer<String, byte[]> consumer, ChangePosition from, Reader reader) {
            this.consumer = consumer;
            this.at = from;
            this.reader = reader;
        }

        @Override
        public void run() {
            try {
                while (running) {
                    try {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                            at = at.after(record.partition(), record.offset());
                            try {
                                reader.read(entry(record), record.partition(), record.offset(), at);
                            } catch (RuntimeException e) {
                                log.error("a change-log reader failed on one entry; going on", e);
                            }
                        }
                    } catch (OffsetOutOfRangeException e) {
                        // Fell behind the retention: what is gone is gone; carry on from the oldest kept.
                        log.error("change-log follower fell behind the topic's retention; entries were lost to it");
                        consumer.seekToBeginning(e.partitions());
                    } catch (WakeupException e) {
                        // closing
                    } catch (RuntimeException e) {
                        log.warn("change-log follower: {}; retrying", e.getClass().getSimpleName());
                        sleep();
                    }
                }
            } finally {
                consumer.close(Duration.ofSeconds(2));
            }
        }

        private void sleep() {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }
}
