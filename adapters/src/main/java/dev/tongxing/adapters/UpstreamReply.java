package dev.tongxing.adapters;

import java.time.Duration;
import java.util.Optional;

/**
 * What came back from a source, before any interpretation.
 *
 * @param status      HTTP status code
 * @param contentType the Content-Type header as sent, or empty
 * @param body        the body bytes (already bounded by the source's size limit)
 * @param retryAfter  the source's Retry-After, when it sent one in seconds
 */
public record UpstreamReply(int status, String contentType, byte[] body, Optional<Duration> retryAfter) {

    public UpstreamReply {
        contentType = contentType == null ? "" : contentType;
        body = body == null ? new byte[0] : body;
        retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
    }

    public UpstreamReply(int status, String contentType, byte[] body) {
        this(status, contentType, body, Optional.empty());
    }

    /** Reads a Retry-After header given in seconds; dates and nonsense are ignored. */
    public static Optional<Duration> retryAfter(String header) {
        if (header == null || !header.strip().matches("\\d{1,6}")) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(Long.parseLong(header.strip())));
    }
}
