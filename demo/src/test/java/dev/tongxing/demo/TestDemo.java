package dev.tongxing.demo;

import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.access.AccessToken;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.springframework.test.context.DynamicPropertyRegistry;

/** What each demo test context needs of its own: free loopback ports and an applied-change store. */
final class TestDemo {

    private TestDemo() {}

    static void onFreePorts(DynamicPropertyRegistry registry) {
        int port = freePort();
        int grpcPort = freePort();
        registry.add("tongxing.demo.port", () -> port);
        registry.add("tongxing.demo.grpc-port", () -> grpcPort);
        try {
            // Under target, which mvn clean and a fresh clone start without, not in the machine's /tmp.
            String store = Files.createTempDirectory(Files.createDirectories(Path.of("target", "scratch")), "tongxing-demo-test-store")
                    .toAbsolutePath().toString();
            registry.add("tongxing.exchange.store-dir", () -> store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A token from the development identity, fetched as the README's CLI fetches it: the
     * client-credentials grant at the operations port's {@code /dev-identity/token}.
     */
    static AccessToken developmentToken(int opsPort, String client, String secret) {
        return AccessToken.fetch(URI.create("http://127.0.0.1:" + opsPort + "/dev-identity/token"), client, secret);
    }

    /** The demo checkpoint (Xi'an North). */
    static AccessToken checkpoint(int opsPort) {
        return developmentToken(opsPort, "checkpoint-xian-north", "demo-checkpoint-secret");
    }

    static TravelerStatus status(ManagedChannel channel, AccessToken token, String residentId, String phone) {
        return TravelerStatusServiceGrpc.newBlockingStub(channel).withCallCredentials(token).withDeadlineAfter(5, TimeUnit.SECONDS)
                .getStatus(GetStatusRequest.newBuilder().setTraveler(TravelerKey.newBuilder()
                        .setDocumentType(DocumentType.RESIDENT_ID).setDocumentNumber(residentId).setPhoneNumber(phone)).build());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
