package dev.tongxing.adapters;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.util.Timeout;

/**
 * One HTTP client per source, so that a slow province can only exhaust its own connections.
 * Redirects, automatic retries and cookies are off: a source answers the question asked, at the
 * address configured, once; retrying is the hub's decision, within its budget. The source's
 * timeout bounds the whole call ({@link CallDeadline}), not only each silence between packets, and
 * no more of an answer is read than its size limit allows ({@link BodyLimit}).
 */
final class SourceHttpClients {

    private SourceHttpClients() {}

    static CloseableHttpClient create(SourceSettings source) {
        Timeout timeout = Timeout.ofMilliseconds(Math.max(1, source.timeout().toMillis()));
        int connections = Integer.parseInt(source.option("max-connections", "64"));
        PoolingHttpClientConnectionManagerBuilder pool = PoolingHttpClientConnectionManagerBuilder.create();
        // Mutual TLS toward a province that requires it: its client certificate and trust, reloaded from files.
        source.tls().ifPresent(tls -> pool.setTlsSocketStrategy(
                new DefaultClientTlsStrategy(tls.sslContext())));
        PoolingHttpClientConnectionManager connectionManager = pool
                .setMaxConnTotal(connections)
                .setMaxConnPerRoute(connections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(timeout)
                        .setSocketTimeout(timeout)
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(connectionManager)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout)
                        .setRedirectsEnabled(false)
                        .build())
                .addExecInterceptorFirst("tongxing-call-deadline", new CallDeadline(source.id(), source.timeout()))
                .addExecInterceptorLast("tongxing-body-limit", new BodyLimit(source.maxBodyBytes()))
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .build();
    }
}
