package dev.tongxing.adapters;

/** How a family's sources are reached; {@link SourceRoutes} builds each route's producer from it. */
public enum Transport {
    /**
     * HTTP(S) through Camel's http component: the family's {@link UpstreamRequest} is the method,
     * content type, headers and body; the reply is the status, Content-Type, Retry-After and body.
     */
    HTTP,
    /**
     * One unary gRPC call on a per-source channel (endpoint {@code grpc://host:port}, plaintext, or
     * {@code grpcs://host:port}, TLS): the family's {@link UpstreamRequest#method()} is the full
     * method name ({@code package.Service/Method}) and its body the serialized request message; the
     * reply carries the status code name and, when OK, the serialized response message. The call's
     * deadline is the source's timeout; messages larger than the source's size limit are refused by
     * the channel (RESOURCE_EXHAUSTED).
     */
    GRPC
}
