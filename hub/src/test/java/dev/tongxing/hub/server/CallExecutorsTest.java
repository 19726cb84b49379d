package dev.tongxing.hub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.VerifyCodeRequest;
import dev.tongxing.hub.security.AccessTokenVerifier;
import dev.tongxing.hub.security.AuthenticationInterceptor;
import dev.tongxing.hub.security.Role;
import dev.tongxing.hub.support.TestIssuer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which thread serves a call: a checkpoint's lookup whose token the hub has verified before runs
 * inline on the transport thread; a first token (its check may fetch keys), a caller the role
 * matrix refuses (the refusal waits for its audit record) and any other method run on virtual
 * threads. Over a real gRPC channel on loopback, with the hub's own authentication interceptor.
 */
class CallExecutorsTest {

    private final TestIssuer issuer = TestIssuer.get();
    private final LinkedBlockingQueue<String> threads = new LinkedBlockingQueue<>();
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        AccessTokenVerifier verifier = new AccessTokenVerifier(issuer.issuer(), TestIssuer.AUDIENCE, List.of("RS256"), "province",
                Duration.ofSeconds(30), new ImmutableJWKSet<>(new JWKSet(issuer.publishedKeys().stream()
                        .map(key -> (JWK) key.toPublicJWK()).collect(Collectors.toList()))), Clock.systemUTC());
        AuthenticationInterceptor authentication = new AuthenticationInterceptor(verifier, false,
                (method, caller, status, headers) -> threads.add("refusal on " + kind()));
        TravelerStatusServiceGrpc.TravelerStatusServiceImplBase service = new TravelerStatusServiceGrpc.TravelerStatusServiceImplBase() {
            @Override
            public void getStatus(GetStatusRequest request, StreamObserver<TravelerStatus> response) {
                threads.add("GetStatus on " + kind());
                response.onNext(TravelerStatus.getDefaultInstance());
                response.onCompleted();
            }

            @Override
            public void verifyCode(VerifyCodeRequest request, StreamObserver<TravelerStatus> response) {
                threads.add("VerifyCode on " + kind());
                response.onNext(TravelerStatus.getDefaultInstance());
                response.onCompleted();
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor()
                .callExecutor(new CallExecutors(authentication, virtualThreads))
                .addService(ServerInterceptors.intercept(service, authentication))
                .build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        virtualThreads.shutdownNow();
    }

    @Test
    void aKnownCheckpointsLookupIsServedInlineAndEverythingElseOnVirtualThreads() throws Exception {
        TravelerStatusServiceGrpc.TravelerStatusServiceBlockingStub checkpoint = TravelerStatusServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(TestIssuer.bearer(issuer.token("checkpoint-inline", "61", Role.CHECKPOINT)));

        checkpoint.getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(threads.poll(5, TimeUnit.SECONDS)).isEqualTo("GetStatus on virtual thread");

        checkpoint.getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(threads.poll(5, TimeUnit.SECONDS)).isEqualTo("GetStatus on transport thread");

        checkpoint.verifyCode(VerifyCodeRequest.getDefaultInstance());
        assertThat(threads.poll(5, TimeUnit.SECONDS)).isEqualTo("VerifyCode on virtual thread");

        TravelerStatusServiceGrpc.TravelerStatusServiceBlockingStub auditor = TravelerStatusServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(TestIssuer.bearer(issuer.token("auditor-inline", null, Role.AUDITOR)));
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> auditor.getStatus(GetStatusRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
            // Remembered or not, a refused caller waits for its refusal's audit record off the transport thread.
            assertThat(threads.poll(5, TimeUnit.SECONDS)).isEqualTo("refusal on virtual thread");
        }
    }

    private static String kind() {
        return Thread.currentThread().isVirtual() ? "virtual thread" : "transport thread";
    }
}
