package dev.tongxing.adapters;

import java.time.Duration;
import java.util.Optional;

/**
 * What came back from a source, before any interpretation.
 *
 * @param status      HTTP status code (200 for every gRPC reply: gRPC states its outcome in {@code grpcStatus})
 * @param contentType the Content-Type header as sent, or empty
 * @param body        the body bytes (already bounded by the source's size limit); for gRPC, the one
 *                    response message, empty unless {@code grpcStatus} is {@code OK}
 * @param retryAfter  the source's Retry-After, when it sent one in seconds
 * @param grpcStatus  the gRPC status code name ({@code OK}, {@code NOT_FOUND}, ...) of a gRPC call;
 *                    empty for HTTP sources
 */
public record UpstreamReply(int status, String contentType, byte[] body, Optional<Duration> retryAfter, String grpcStatus) {

    /** The media type of a gRPC reply's message, as {@link Transport#GRPC} reports it. */
    public static final String GRPC_PROTO = "application/grpc+proto";

    public UpstreamReply {
        contentType = contentType == null ? "" : contentType;
        body = body == null ? new byte[0] : body;
        retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
        grpcStatus = grpcStatus == null ? "" : grpcStatus;
    }

    public UpstreamReply(int status, String contentType, byte[] body, Optional<Duration> retryAfter) {
        this(status, contentType, body, retryAfter, "");
    }

    public UpstreamReply(int status, String contentType, byte[] body) {
        this(status, contentType, body, Optional.empty());
    }

    /** The outcome of one unary gRPC call: its status code name and, when OK, the response message's bytes. */
    public static UpstreamReply grpc(String statusCode, byte[] message) {
        return new UpstreamReply(200, GRPC_PROTO, message, Optional.empty(), statusCode);
    }

    /** Reads a Retry-After header given in seconds; dates and nonsense are ignored. */
    public static Optional<Duration> retryAfter(String header) {
        if (header == null || !header.strip().matches("\\d{1,6}")) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(Long.parseLong(header.strip())));
    }
}
