package dev.tongxing.adapters;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC producer of one source's route: one {@link ManagedChannel} per source, so that a slow
 * province can only exhaust its own connection, and one unary call per query, carrying the
 * family's serialized request message and bounded by the source's timeout as its deadline.
 * Messages are passed as bytes: the family owns the protobuf types and parses the answer strictly,
 * as it would parse an HTTP body. The channel refuses an answer larger than the source's size limit
 * (RESOURCE_EXHAUSTED) without buffering it, and does not retry: retrying is the hub's decision.
 */
final class SourceGrpcCalls implements AutoCloseable {

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try (stream) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw Status.INTERNAL.withDescription("cannot read the response message").asRuntimeException();
            }
        }
    };

    private final SourceSettings source;
    private final ManagedChannel channel;
    private final Map<String, MethodDescriptor<byte[], byte[]>> methods = new ConcurrentHashMap<>();

    SourceGrpcCalls(SourceSettings source) {
        this.source = source;
        this.channel = channel(source);
    }

    private static ManagedChannel channel(SourceSettings source) {
        URI endpoint = source.endpoint();
        ChannelCredentials credentials = switch (endpoint.getScheme()) {
            case "grpc" -> InsecureChannelCredentials.create();
            case "grpcs" -> source.tls().map(SourceGrpcCalls::mutualTls).orElseGet(TlsChannelCredentials::create);
            default -> throw new IllegalArgumentException(source.id() + ": a gRPC source needs a grpc:// or grpcs:// endpoint, not '"
                    + endpoint.getScheme() + "'");
        };
        if (endpoint.getHost() == null || endpoint.getPort() < 1) {
            throw new IllegalArgumentException(source.id() + ": gRPC endpoint must name a host and a port");
        }
        return Grpc.newChannelBuilderForAddress(endpoint.getHost(), endpoint.getPort(), credentials)
                .maxInboundMessageSize(source.maxBodyBytes())
                .maxInboundMetadataSize(16 * 1024)
                .disableRetry()
                .userAgent("tongxing-hub")
                .build();
    }

    private static ChannelCredentials mutualTls(TlsFiles tls) {
        TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
        tls.keys().ifPresent(builder::keyManager);
        tls.trust().ifPresent(builder::trustManager);
        return builder.build();
    }

    /**
     * Makes the call. Any status the source (or the channel) ends it with is handed to the family as
     * the reply's status, except an expired deadline, which fails like an HTTP timeout.
     *
     * @throws SocketTimeoutException naming the source when no answer came within its timeout
     */
    UpstreamReply call(UpstreamRequest request) throws SocketTimeoutException {
        MethodDescriptor<byte[], byte[]> method = methods.computeIfAbsent(request.method(), name -> MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(name)
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build());
        long timeout = Math.max(1, source.timeout().toMillis());
        try {
            byte[] answer = ClientCalls.blockingUnaryCall(channel, method,
                    CallOptions.DEFAULT.withDeadlineAfter(timeout, TimeUnit.MILLISECONDS), request.body());
            return UpstreamReply.grpc(Status.Code.OK.name(), answer);
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.DEADLINE_EXCEEDED) {
                throw new SocketTimeoutException(source.id() + ": no complete answer within " + timeout + " ms (gRPC DEADLINE_EXCEEDED)");
            }
            // The description is the source's or the channel's text; it is not passed on, only the code.
            return UpstreamReply.grpc(code.name(), new byte[0]);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
