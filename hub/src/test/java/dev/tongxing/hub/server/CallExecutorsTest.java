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
import dev.tongxing.hub.security.Caller;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
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
    private final LinkedBlockingQueue<String> callers = new LinkedBlockingQueue<>();
    private AuthenticationInterceptor authentication;
    private final ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        AccessTokenVerifier verifier = new AccessTokenVerifier(issuer.issuer(), TestIssuer.AUDIENCE, List.of("RS256"), "province",
                Duration.ofSeconds(30), new ImmutableJWKSet<>(new JWKSet(issuer.publishedKeys().stream()
                        .map(key -> (JWK) key.toPublicJWK()).collect(Collectors.toList()))), Clock.systemUTC());
        authentication = new AuthenticationInterceptor(verifier, false,
                (method, caller, status, headers) -> threads.add("refusal on " + kind()));
        TravelerStatusServiceGrpc.TravelerStatusServiceImplBase service = new TravelerStatusServiceGrpc.TravelerStatusServiceImplBase() {
            @Override
            public void getStatus(GetStatusRequest request, StreamObserver<TravelerStatus> response) {
                threads.add("GetStatus on " + kind());
                callers.add(Caller.require().clientId());
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

    @Test
    void anInlineCallIsServedAsItsOwnCallerWhoeverCameBeforeOnTheSameThread() throws Exception {
        TravelerStatusServiceGrpc.TravelerStatusServiceBlockingStub first = TravelerStatusServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(TestIssuer.bearer(issuer.token("checkpoint-first", "61", Role.CHECKPOINT)));
        TravelerStatusServiceGrpc.TravelerStatusServiceBlockingStub second = TravelerStatusServiceGrpc.newBlockingStub(channel)
                .withCallCredentials(TestIssuer.bearer(issuer.token("checkpoint-second", "31", Role.CHECKPOINT)));
        TravelerStatusServiceGrpc.TravelerStatusServiceBlockingStub anonymous = TravelerStatusServiceGrpc.newBlockingStub(channel);

        for (int round = 0; round < 3; round++) {
            first.getStatus(GetStatusRequest.getDefaultInstance());
            second.getStatus(GetStatusRequest.getDefaultInstance());
            assertThatThrownBy(() -> anonymous.getStatus(GetStatusRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }

        assertThat(List.of(callers.poll(5, TimeUnit.SECONDS), callers.poll(5, TimeUnit.SECONDS), callers.poll(5, TimeUnit.SECONDS),
                callers.poll(5, TimeUnit.SECONDS), callers.poll(5, TimeUnit.SECONDS), callers.poll(5, TimeUnit.SECONDS)))
                .containsExactly("checkpoint-first", "checkpoint-second", "checkpoint-first", "checkpoint-second",
                        "checkpoint-first", "checkpoint-second");
        assertThat(threads).contains("GetStatus on transport thread");
    }

    @Test
    void aCallerFoundForOneCallsHeadersIsNeverLentToAnother() throws Exception {
        String token = issuer.token("checkpoint-lender", "61", Role.CHECKPOINT);
        TravelerStatusServiceGrpc.newBlockingStub(channel).withCallCredentials(TestIssuer.bearer(token))
                .getStatus(GetStatusRequest.getDefaultInstance());
        Metadata withToken = new Metadata();
        withToken.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        assertThat(authentication.passesFromMemory(new RecordingCall(), withToken)).isTrue();
        RecordingCall borrower = new RecordingCall();

        authentication.interceptCall(borrower, new Metadata(), (call, headers) -> {
            throw new AssertionError("a call without a token reached the service");
        });

        assertThat(borrower.closedWith.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    /** A GetStatus call that records how the door closed it. */
    private static final class RecordingCall extends ServerCall<GetStatusRequest, TravelerStatus> {
        Status closedWith;

        @Override
        public void request(int numMessages) {}

        @Override
        public void sendHeaders(Metadata headers) {}

        @Override
        public void sendMessage(TravelerStatus message) {}

        @Override
        public void close(Status status, Metadata trailers) {
            closedWith = status;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public MethodDescriptor<GetStatusRequest, TravelerStatus> getMethodDescriptor() {
            return TravelerStatusServiceGrpc.getGetStatusMethod();
        }
    }

    private static String kind() {
        return Thread.currentThread().isVirtual() ? "virtual thread" : "transport thread";
    }
}
