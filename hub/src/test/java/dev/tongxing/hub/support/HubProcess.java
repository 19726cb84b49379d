package dev.tongxing.hub.support;

import dev.tongxing.hub.TongxingHub;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * A hub in a process of its own, started from the test classpath (so it reads the demo
 * configuration the tests import) with the given properties, for tests that must kill it as an
 * operator's machine would: {@link #kill()} is SIGKILL, with no shutdown hook and no flush.
 */
public final class HubProcess implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(120);
    /** Starts on fresh ports at most this often when a port chosen free was taken before the hub bound it. */
    private static final int PORT_ATTEMPTS = 3;

    private final Process process;
    private final int grpcPort;

    private HubProcess(Process process, int grpcPort) {
        this.process = process;
        this.grpcPort = grpcPort;
    }

    /**
     * Starts a hub on a free gRPC and operations port and waits until its health service says
     * SERVING. Output goes to {@code log} (appended), so a failing run can be read afterwards.
     */
    public static HubProcess start(Map<String, String> properties, Path log) {
        for (int attempt = 1; ; attempt++) {
            try {
                return start(properties, log, FreePorts.next());
            } catch (PortTaken e) {
                // A port free when asked is the kernel's to hand out again (as the local end of any
                // outgoing connection, for one) until the hub binds it: then pick others.
                if (attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                Launch.log.warn("hub process could not bind its ports ({}); starting it on others", e.getMessage());
            }
        }
    }

    /** The hub exited before serving because a port it was given was in use by then. */
    static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }

    /** As {@link #start(Map, Path)}, on the given gRPC port: a replica restarted where its clients expect it. */
    public static HubProcess start(Map<String, String> properties, Path log, int grpcPort) {
        return start(Launch.get().jvmOptions(), properties, log, grpcPort);
    }

    private static HubProcess start(List<String> jvmOptions, Map<String, String> properties, Path log, int grpcPort) {
        List<String> command = new ArrayList<>();
        command.add(ChildProcesses.java());
        command.addAll(jvmOptions);
        command.add(TongxingHub.class.getName());
        command.add("--tongxing.grpc.port=" + grpcPort);
        command.add("--server.port=" + FreePorts.next());
        command.add("--tongxing.security.issuer=" + TestIssuer.get().issuer());
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            long logFrom = Files.exists(log) ? Files.size(log) : 0;
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            HubProcess hub = new HubProcess(process, grpcPort);
            long started = System.nanoTime();
            try {
                hub.awaitServing();
            } catch (IllegalStateException notServing) {
                if (!process.isAlive() && portTaken(log, logFrom)) {
                    throw new PortTaken("gRPC port " + grpcPort + " or operations port in use, see " + log);
                }
                throw notServing;
            }
            Launch.log.info("hub process {} serving after {} ms", process.pid(), (System.nanoTime() - started) / 1_000_000);
            return hub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether what this start wrote to the log (from {@code from}) says a port was already in use. */
    private static boolean portTaken(Path log, long from) throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(from);
            String written = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return written.contains("Address already in use") || written.contains("was already in use");
        }
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("hub process " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(30));
    }

    /** SIGTERM, then SIGKILL if the process has not ended within {@code grace}. */
    private void stop(Duration grace) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        }
    }

    private void awaitServing() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        try {
            long deadline = System.nanoTime() + START_LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("hub process exited with " + process.exitValue() + " before serving");
                }
                try {
                    HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance());
                    if (health.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
                        return;
                    }
                } catch (StatusRuntimeException notYet) {
                    // Not listening yet.
                }
                Thread.sleep(200);
            }
            process.destroyForcibly();
            throw new IllegalStateException("hub process did not serve within " + START_LIMIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while the hub process started", e);
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * How every hub process of this test JVM is launched. Tests here start a hub a score of times
     * (each kill and restart is one), and most of each start is loading and linking the same
     * classes; on JDK 25 and later one training start records them into an ahead-of-time cache
     * (JEP 483 and 514) that every later start maps instead, which more than halves the start.
     * The cache takes only jars, so the module's class directories are packed into jars first.
     * Without the cache (an older JDK, a failed training run) hubs start as before, only slower.
     */
    private record Launch(List<String> jvmOptions) {

        private static final Logger log = LoggerFactory.getLogger(Launch.class);
        /** The same in the training start and after: the cache is refused by a JVM configured otherwise. */
        private static final List<String> HEAP_AND_JIT = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
        private static final Path DIR = Path.of("target", "hub-process").toAbsolutePath();
        private static Launch prepared;

        static synchronized Launch get() {
            if (prepared == null) {
                prepared = prepare();
            }
            return prepared;
        }

        private static Launch prepare() {
            List<String> plain = new ArrayList<>(HEAP_AND_JIT);
            plain.add("-cp");
            // Surefire sets java.class.path to the test classpath: the hub, the simulators' demo
            // configuration and the test resources, as the test's own Spring contexts see them.
            plain.add(System.getProperty("java.class.path"));
            if (Runtime.version().feature() < 25 || !Boolean.parseBoolean(System.getProperty("tongxing.test.hub-aot-cache", "true"))) {
                return new Launch(plain);
            }
            long started = System.nanoTime();
            try {
                FileSystemUtils.deleteRecursively(DIR);
                Files.createDirectories(DIR);
                List<String> options = new ArrayList<>(HEAP_AND_JIT);
                options.add("-cp");
                options.add(jarredClasspath());
                Path cache = DIR.resolve("hub.aot");
                List<String> training = new ArrayList<>(options);
                training.add("-XX:AOTCacheOutput=" + cache);
                HubProcess trainee = start(training, Map.of("tongxing.exchange.store-dir", ScratchDirectories.create("tongxing-aot-training").toString()),
                        DIR.resolve("training.log"), FreePorts.next());
                // The cache is written as the process exits: recording it can take longer than a normal stop.
                trainee.stop(Duration.ofMinutes(3));
                if (!Files.isRegularFile(cache)) {
                    log.warn("hub processes start without an AOT cache: the training start wrote none (see {})", DIR.resolve("training.log"));
                    return new Launch(plain);
                }
                options.add("-XX:AOTCache=" + cache);
                log.info("hub processes start with an AOT cache, recorded in {} ms", (System.nanoTime() - started) / 1_000_000);
                return new Launch(options);
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.warn("hub processes start without an AOT cache: {}", e.toString());
                return new Launch(plain);
            }
        }

        /** The test classpath with each directory replaced by a jar of its contents. */
        private static String jarredClasspath() throws IOException {
            ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow(() -> new IOException("no jar tool in this JDK"));
            List<String> entries = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (!Files.isDirectory(path)) {
                    entries.add(entry);
                    continue;
                }
                Path packed = DIR.resolve(entries.size() + "-" + path.getFileName() + ".jar");
                StringWriter errors = new StringWriter();
                int exit = jar.run(new PrintWriter(new StringWriter()), new PrintWriter(errors), "--create", "--file", packed.toString(),
                        "--no-manifest", "-C", path.toString(), ".");
                if (exit != 0) {
                    throw new IOException("jar of " + path + " failed: " + errors);
                }
                entries.add(packed.toString());
            }
            return String.join(File.pathSeparator, entries);
        }
    }
}
