package dev.tongxing.adapters;

import java.util.Map;

/**
 * The request a family sends to its source: for {@link Transport#HTTP} the HTTP method, content type,
 * headers and body; for {@link Transport#GRPC} the full gRPC method name and the serialized request
 * message (see {@link #grpc}). The traveler's number travels in the body, never
 * in the URL, so that it does not end up in access logs along the way.
 */
public record UpstreamRequest(String method, String contentType, byte[] body, Map<String, String> headers) {

    public UpstreamRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** One unary gRPC call: {@code fullMethodName} is {@code package.Service/Method}, {@code message} the serialized request. */
    public static UpstreamRequest grpc(String fullMethodName, byte[] message) {
        return new UpstreamRequest(fullMethodName, UpstreamReply.GRPC_PROTO, message, Map.of());
    }

    public static UpstreamRequest postJson(byte[] body) {
        return new UpstreamRequest("POST", "application/json; charset=UTF-8", body, Map.of());
    }

    /**
     * The query most JSON sources take: a document type code, the number and, when the traveler gave
     * one, the phone, each under the source's own field name.
     */
    public static UpstreamRequest postTravelerJson(SourceQuery query, String typeField, String typeCode,
                                                   String numberField, String phoneField) {
        Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put(typeField, typeCode);
        body.put(numberField, query.documentNumber());
        if (!query.phoneNumber().isEmpty()) {
            body.put(phoneField, query.phoneNumber());
        }
        return postJson(StrictJson.write(body));
    }
}
