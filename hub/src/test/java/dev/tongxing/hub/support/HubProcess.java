package dev.tongxing.hub.support;

import dev.tongxing.hub.TongxingHub;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A hub in a process of its own, started from the test classpath (so it reads the demo
 * configuration the tests import) with the given properties, for tests that must kill it as an
 * operator's machine would: {@link #kill()} is SIGKILL, with no shutdown hook and no flush.
 */
public final class HubProcess implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(120);

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
        return start(properties, log, FreePorts.next());
    }

    /** As {@link #start(Map, Path)}, on the given gRPC port: a replica restarted where its clients expect it. */
    public static HubProcess start(Map<String, String> properties, Path log, int grpcPort) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        // Surefire sets java.class.path to the test classpath: the hub, the simulators' demo
        // configuration and the test resources, as the test's own Spring contexts see them.
        command.add(System.getProperty("java.class.path"));
        command.add(TongxingHub.class.getName());
        command.add("--tongxing.grpc.port=" + grpcPort);
        command.add("--server.port=" + FreePorts.next());
        command.add("--tongxing.security.issuer=" + TestIssuer.get().issuer());
        properties.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            HubProcess hub = new HubProcess(process, grpcPort);
            hub.awaitServing();
            return hub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
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
}
