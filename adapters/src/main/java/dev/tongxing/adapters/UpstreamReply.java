package dev.tongxing.adapters;

/**
 * What came back from a source, before any interpretation.
 *
 * @param status      HTTP status code
 * @param contentType the Content-Type header as sent, or empty
 * @param body        the body bytes (already bounded by the source's size limit)
 */
public record UpstreamReply(int status, String contentType, byte[] body) {

    public UpstreamReply {
        contentType = contentType == null ? "" : contentType;
        body = body == null ? new byte[0] : body;
    }
}
