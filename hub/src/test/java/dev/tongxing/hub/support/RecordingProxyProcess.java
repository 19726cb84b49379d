package dev.tongxing.hub.support;

import com.github.tomakehurst.wiremock.client.WireMock;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A recording proxy in front of a source, in a process of its own on loopback (WireMock's
 * standalone runner, small heap): when each request reached the "province", by the machine's clock.
 *
 * <p>Why not a WireMock server in the test's JVM: that JVM holds every cached test context, and a
 * pause of it (a collection, or the scheduler under a busy machine) leaves the hubs' requests in
 * the socket's backlog and then logs them together, as if the hubs had sent a burst. A test of
 * how fast a fleet of hub processes sends to a province would then measure its own pause. The
 * province behind the proxy may still be in that JVM: the proxy has threads enough (200) that
 * requests waiting on a paused province do not leave new arrivals queued unlogged behind them.
 */
public final class RecordingProxyProcess implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final int port;
    private final WireMock admin;

    private RecordingProxyProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.admin = new WireMock("127.0.0.1", port);
    }

    /** Starts a proxy that sends every request on to {@code target} (an http://host:port); returns once it listens. */
    public static RecordingProxyProcess start(String target, Path log) throws IOException, InterruptedException {
        Path dir = UnnumberedTempDirs.create(Path.of(System.getProperty("java.io.tmpdir")), "tongxing-recording-proxy-");
        int port = FreePorts.next();
        Process process = new ProcessBuilder(ChildProcesses.java(), "-Xms64m", "-Xmx128m", "-XX:+UseSerialGC", "-cp", wireMockJar(), "wiremock.Run",
                "--bind-address", "127.0.0.1", "--port", String.valueOf(port), "--proxy-all", target,
                "--container-threads", "200", "--root-dir", dir.toString(), "--disable-banner")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        RecordingProxyProcess proxy = new RecordingProxyProcess(process, dir, port);
        try {
            ChildProcesses.awaitListening(process, port, "the recording proxy", log);
            proxy.resetRequests(); // and its admin API answers
        } catch (RuntimeException | InterruptedException e) {
            proxy.close();
            throw e;
        }
        return proxy;
    }

    public int port() {
        return port;
    }

    /** Forgets the requests recorded so far. */
    public void resetRequests() {
        admin.resetRequests();
    }

    /** When each request recorded since the last reset arrived, epoch milliseconds, in order. */
    public List<Long> arrivals() {
        return admin.getServeEvents().stream().map(event -> event.getRequest().getLoggedDate().getTime()).sorted().toList();
    }

    @Override
    public void close() throws InterruptedException {
        ChildProcesses.stop(process, Duration.ofSeconds(10));
        ChildProcesses.deleteTree(dir);
    }

    /** The standalone WireMock jar the tests already depend on: shaded, so it runs on its own. */
    private static String wireMockJar() {
        try {
            return Path.of(WireMock.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
