package dev.tongxing.bench.targets;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay between the hub and one simulated source that can fail the way provinces failed:
 * pass traffic through, swallow it (a blackholed platform: connections accepted, nothing ever
 * answered), or hold every request for a while before passing it on (a slow platform). Loopback only.
 */
public final class FaultySourceProxy implements AutoCloseable {

    public enum Mode { PASS, BLACKHOLE, SLOW }

    private final ServerSocket listener;
    private final int upstreamPort;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.PASS;
    private volatile Duration delay = Duration.ofSeconds(5);

    public FaultySourceProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on; connections already open follow the new mode with their next bytes. */
    public void mode(Mode mode, Duration delay) {
        this.delay = delay;
        this.mode = mode;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 2000);
                open.add(client);
                open.add(upstream);
                threads.execute(() -> relay(client, upstream, true));
                threads.execute(() -> relay(upstream, client, false));
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void relay(Socket from, Socket to, boolean request) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                Mode now = mode;
                if (now == Mode.BLACKHOLE) {
                    continue;   // read and dropped: the caller waits for an answer that never comes
                }
                if (now == Mode.SLOW && request) {
                    Thread.sleep(delay);
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // the other side closed; close both below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(this::closeQuietly);
        threads.shutdownNow();
    }
}
