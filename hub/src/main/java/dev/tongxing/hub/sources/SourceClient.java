package dev.tongxing.hub.sources;

import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceRoutes;
import dev.tongxing.adapters.SourceSettings;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Asks a source through its Camel route. Each call runs on its own virtual thread, so a slow
 * province ties up no platform thread, and is bounded by the source's timeout end to end (the
 * HTTP client's timeouts bound each read; this bounds the whole exchange, slow drips included).
 */
@Component
public class SourceClient implements DisposableBean {

    private final ProducerTemplate producer;
    private final Clock clock;
    private final ExecutorService upstreamThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("upstream-", 0).factory());

    public SourceClient(ProducerTemplate producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    public CompletableFuture<Fetched> fetch(SourceSettings source, SourceQuery query) {
        return CompletableFuture
                .supplyAsync(() -> producer.requestBody(SourceRoutes.endpointOf(source.id()), query, SourceAnswer.class), upstreamThreads)
                .thenApply(answer -> new Fetched(answer, clock.instant()))
                .orTimeout(source.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        upstreamThreads.shutdownNow();
    }
}
