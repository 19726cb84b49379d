package dev.tongxing.adapters;

import java.util.Map;

/**
 * The HTTP request a family sends to its source. The traveler's number travels in the body, never
 * in the URL, so that it does not end up in access logs along the way.
 */
public record UpstreamRequest(String method, String contentType, byte[] body, Map<String, String> headers) {

    public UpstreamRequest {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
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
