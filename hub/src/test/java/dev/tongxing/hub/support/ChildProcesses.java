package dev.tongxing.hub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/** Servers a test starts as processes of their own, on loopback. */
final class ChildProcesses {

    private static final long LISTEN_LIMIT_SECONDS = 60;

    private ChildProcesses() {}

    /** The JVM running the tests, for children started from the test classpath or a jar on it. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * Returns once {@code process} accepts connections on {@code port}; fails naming {@code what}
     * and its log if it exits first or does not listen within a minute.
     */
    static void awaitListening(Process process, int port, String what, Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LISTEN_LIMIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(what + " did not listen within " + LISTEN_LIMIT_SECONDS + " s; see " + log);
    }

    /** Stops a child as an operator would (SIGTERM), and kills it if it has not ended within {@code grace}. */
    static void stop(Process process, Duration grace) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Deletes a child's working directory and everything in it, as far as it can. */
    static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
