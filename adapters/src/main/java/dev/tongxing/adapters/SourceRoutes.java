package dev.tongxing.adapters;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * One Camel route per configured source: build the family's request, call the source over the
 * family's {@link Transport} (Camel's http component, or a unary gRPC call on the source's own
 * channel), and map the reply strictly. The route carries no resilience of its own; breakers, limits and
 * timeouts are applied around it by the hub, per source.
 *
 * <p>A route's body goes in as a {@link SourceQuery} and comes out as a {@link SourceAnswer}; any
 * failure (connection, timeout, {@link RejectedAnswer}) fails the exchange.
 */
public final class SourceRoutes extends RouteBuilder implements AutoCloseable {

    private final List<AutoCloseable> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static final String QUERY = "tongxing.query";
    private static final String REQUEST = "tongxing.request";

    private final List<SourceSettings> sources;
    private final FormatFamilies families;

    public SourceRoutes(List<SourceSettings> sources, FormatFamilies families) {
        this.sources = List.copyOf(sources);
        this.families = families;
    }

    /** The endpoint the hub sends a source's queries to. */
    public static String endpointOf(String sourceId) {
        return "direct:source-" + sourceId;
    }

    @Override
    public void configure() {
        // A failed call goes back to the hub as its exception: the hub decides on retries (within its
        // budget), counts it against the source's breaker and names it in the answer's provenance.
        // Camel's default handler would also log each one at ERROR with a stack trace, hundreds a
        // second during an outage, costing CPU when it is scarcest.
        errorHandler(noErrorHandler());
        for (SourceSettings source : sources) {
            FormatFamily family = families.get(source.family());
            RouteDefinition route = from(endpointOf(source.id()))
                    .routeId("source-" + source.id())
                    .process(exchange -> prepareRequest(exchange, family, source));
            switch (family.transport()) {
                case HTTP -> route
                        .process(SourceRoutes::toHttpMessage)
                        .to(httpUri(source))
                        .process(exchange -> readHttpReply(exchange, source));
                case GRPC -> {
                    SourceGrpcCalls calls = new SourceGrpcCalls(source);
                    clients.add(calls);
                    route.process(exchange -> exchange.getMessage().setBody(
                            calls.call(exchange.getProperty(REQUEST, UpstreamRequest.class))));
                }
            }
            route.process(exchange -> mapReply(exchange, family, source));
        }
    }

    private static void prepareRequest(Exchange exchange, FormatFamily family, SourceSettings source)
            throws org.apache.camel.InvalidPayloadException {
        Message message = exchange.getMessage();
        SourceQuery query = message.getMandatoryBody(SourceQuery.class);
        exchange.setProperty(QUERY, query);
        exchange.setProperty(REQUEST, family.request(query, source));
        // Nothing of the caller's exchange may leak upstream as a header.
        message.removeHeaders("*");
        message.setBody(null);
    }

    private static void toHttpMessage(Exchange exchange) {
        Message message = exchange.getMessage();
        UpstreamRequest request = exchange.getProperty(REQUEST, UpstreamRequest.class);
        message.setHeader(Exchange.HTTP_METHOD, request.method());
        message.setHeader(Exchange.CONTENT_TYPE, request.contentType());
        request.headers().forEach(message::setHeader);
        message.setBody(request.body());
    }

    private static void readHttpReply(Exchange exchange, SourceSettings source) throws IOException {
        Message message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        String retryAfter = message.getHeader("Retry-After", String.class);
        byte[] body = readAtMost(message, source.maxBodyBytes() + 1);
        message.removeHeaders("*");
        message.setBody(new UpstreamReply(status == null ? 0 : status, contentType, body, UpstreamReply.retryAfter(retryAfter)));
    }

    private static void mapReply(Exchange exchange, FormatFamily family, SourceSettings source) {
        Message message = exchange.getMessage();
        UpstreamReply reply = message.getBody(UpstreamReply.class);
        SourceQuery query = exchange.getProperty(QUERY, SourceQuery.class);
        exchange.removeProperty(REQUEST);
        message.setBody(family.map(reply, query, source));
    }

    /** Reads no more than the limit, so an oversized body is detected without holding it twice. */
    private static byte[] readAtMost(Message message, int limit) throws IOException {
        Object body = message.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] bytes) {
            return bytes.length <= limit ? bytes : java.util.Arrays.copyOf(bytes, limit);
        }
        try (InputStream in = message.getBody(InputStream.class)) {
            return in == null ? new byte[0] : in.readNBytes(limit);
        }
    }

    private String httpUri(SourceSettings source) {
        String clientName = "tongxing-http-client-" + source.id();
        CloseableHttpClient client = SourceHttpClients.create(source);
        clients.add(client);
        getContext().getRegistry().bind(clientName, client);
        String base = source.endpoint().toString();
        return base + (base.contains("?") ? "&" : "?")
                + "httpClient=#" + clientName
                + "&throwExceptionOnFailure=false"
                + "&followRedirects=false"
                + "&bridgeEndpoint=true"
                + "&skipControlHeaders=true";
    }

    /** Closes every source's HTTP client and gRPC channel. */
    @Override
    public void close() throws IOException {
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
