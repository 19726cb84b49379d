package dev.tongxing.hub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Loopback ports free at the moment of asking, and the other per-context resources a test hub
 * must not share: Spring keeps test contexts alive side by side in one JVM.
 */
public final class FreePorts {

    private FreePorts() {}

    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Demo mode's simulators on ports of their own, and a store of its own, for one test context. */
    public static void demoOnFreePorts(DynamicPropertyRegistry registry) {
        int port = next();
        int grpcPort = next();
        registry.add("tongxing.demo.port", () -> port);
        registry.add("tongxing.demo.grpc-port", () -> grpcPort);
        ownStore(registry);
    }

    /**
     * An applied-change store of this context's own. Contexts sharing the default directory open
     * one embedded database file from two live hubs at once.
     */
    public static void ownStore(DynamicPropertyRegistry registry) {
        String store = ScratchDirectories.create("tongxing-test-store").toString();
        registry.add("tongxing.exchange.store-dir", () -> store);
    }
}
