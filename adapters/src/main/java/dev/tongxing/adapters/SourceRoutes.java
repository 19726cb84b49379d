package dev.tongxing.adapters;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * One Camel route per configured source: build the family's request, call the source over HTTP,
 * and map the reply strictly. The route carries no resilience of its own; breakers, limits and
 * timeouts are applied around it by the hub, per source.
 *
 * <p>A route's body goes in as a {@link SourceQuery} and comes out as a {@link SourceAnswer}; any
 * failure (connection, timeout, {@link RejectedAnswer}) fails the exchange.
 */
public final class SourceRoutes extends RouteBuilder implements AutoCloseable {

    private final List<CloseableHttpClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static final String QUERY = "tongxing.query";

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
        for (SourceSettings source : sources) {
            FormatFamily family = families.get(source.family());
            from(endpointOf(source.id()))
                    .routeId("source-" + source.id())
                    .process(exchange -> prepareRequest(exchange, family, source))
                    .to(httpUri(source))
                    .process(exchange -> mapReply(exchange, family, source));
        }
    }

    private static void prepareRequest(Exchange exchange, FormatFamily family, SourceSettings source)
            throws org.apache.camel.InvalidPayloadException {
        Message message = exchange.getMessage();
        SourceQuery query = message.getMandatoryBody(SourceQuery.class);
        exchange.setProperty(QUERY, query);
        UpstreamRequest request = family.request(query, source);
        // Nothing of the caller's exchange may leak upstream as an HTTP header.
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, request.method());
        message.setHeader(Exchange.CONTENT_TYPE, request.contentType());
        request.headers().forEach(message::setHeader);
        message.setBody(request.body());
    }

    private static void mapReply(Exchange exchange, FormatFamily family, SourceSettings source) throws IOException {
        Message message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        String retryAfter = message.getHeader("Retry-After", String.class);
        byte[] body = readAtMost(message, source.maxBodyBytes() + 1);
        SourceQuery query = exchange.getProperty(QUERY, SourceQuery.class);
        message.removeHeaders("*");
        message.setBody(family.map(new UpstreamReply(status == null ? 0 : status, contentType, body,
                UpstreamReply.retryAfter(retryAfter)), query, source));
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

    @Override
    public void close() throws IOException {
        for (CloseableHttpClient client : clients) {
            client.close();
        }
    }
}
