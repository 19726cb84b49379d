package dev.tongxing.hub.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka (KRaft, broker and controller in one) in a process of its own, from the Kafka
 * server jars on the test classpath, on loopback: a broker a test can stop and start again on
 * the same port and data, as an operator's restart or outage would.
 */
public final class KafkaProcess implements AutoCloseable {

    private final Path dir;
    private final Path log;
    private final int port;
    private Process process;

    private KafkaProcess(Path dir, Path log, int port) {
        this.dir = dir;
        this.log = log;
        this.port = port;
    }

    /** Formats a new data directory and starts the broker; returns once it accepts connections. */
    public static KafkaProcess start(Path log) throws IOException, InterruptedException {
        Path dir = UnnumberedTempDirs.create(Path.of(System.getProperty("java.io.tmpdir")), "tongxing-kafka-");
        int port = FreePorts.next();
        int controller = FreePorts.next();
        Files.writeString(dir.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                ""));
        Process format = new ProcessBuilder(ChildProcesses.java(), "-cp", System.getProperty("java.class.path"), "kafka.tools.StorageTool", "format",
                "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", dir.resolve("server.properties").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("formatting Kafka's storage failed; see " + log);
        }
        KafkaProcess kafka = new KafkaProcess(dir, log, port);
        kafka.startAgain();
        return kafka;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker on its port and data; returns once it accepts connections. */
    public void startAgain() throws IOException, InterruptedException {
        process = new ProcessBuilder(ChildProcesses.java(), "-Xms128m", "-Xmx384m", "-cp", System.getProperty("java.class.path"), "kafka.Kafka",
                dir.resolve("server.properties").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ChildProcesses.awaitListening(process, port, "Kafka", log);
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Stops the broker as an operator would (SIGTERM), keeping its data. */
    public void stop() throws InterruptedException {
        ChildProcesses.stop(process, Duration.ofSeconds(30));
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        ChildProcesses.deleteTree(dir);
    }
}
