package dev.tongxing.hub.sources;

import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceRoutes;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.hub.resilience.Demand;
import dev.tongxing.hub.resilience.SendPermit;
import dev.tongxing.hub.resilience.SourceGuards;
import dev.tongxing.hub.resilience.SourceRefused;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Asks a source through its Camel route, under the source's guard (breaker, bulkhead, rate
 * limit). A scan's call runs on its own virtual thread, a manifest's or prefetch's on a
 * low-priority platform thread ({@link UpstreamThreads}); either checks its capacity permit once
 * more on that thread before sending (a permit that waited too long for the thread is renewed or
 * the call not sent: {@code send-within}). It is bounded by the source's timeout end to end from
 * when its thread starts it: the HTTP client's timeouts bound each read, this bounds the whole
 * exchange, slow drips included. While a source's breaker is
 * open or half-open and it has a fallback (the travel card's carrier SMS channel), the fallback is
 * asked.
 */
@Component
public class SourceClient implements DisposableBean {

    private final ProducerTemplate producer;
    private final SourceGuards guards;
    private final SourceRegistry registry;
    private final Clock clock;
    private final UpstreamThreads upstreamThreads = new UpstreamThreads();

    public SourceClient(ProducerTemplate producer, SourceGuards guards, SourceRegistry registry, Clock clock) {
        this.producer = producer;
        this.guards = guards;
        this.registry = registry;
        this.clock = clock;
    }

    /** Asks as a scan: refused at once when the source is at capacity. */
    public CompletableFuture<Fetched> fetch(SourceSettings source, SourceQuery query) {
        return fetch(source, query, Demand.scan());
    }

    /** Asks on behalf of a caller of the given urgency; a manifest entry or prefetch may wait for capacity. */
    public CompletableFuture<Fetched> fetch(SourceSettings source, SourceQuery query, Demand demand) {
        CompletableFuture<Fetched> primary = guarded(source, query, "", demand);
        return registry.fallbackOf(source.id())
                .map(fallback -> primary.exceptionallyCompose(failure -> breakerOpen(source, failure)
                        ? guarded(fallback, query, fallback.id(), demand)
                        : CompletableFuture.failedFuture(failure)))
                .orElse(primary);
    }

    private CompletableFuture<Fetched> guarded(SourceSettings source, SourceQuery query, String route, Demand demand) {
        return guards.of(source.id())
                .call(demand, permit -> ask(source, query, permit, upstreamThreads.forDemand(demand)))
                .thenApply(answer -> new Fetched(answer, clock.instant(), route));
    }

    /**
     * One exchange on a thread of its own, bounded by the source's timeout from when that thread
     * starts it: time a low-priority thread waited for a core is the hub's, not the source's, and
     * must not run into the source's timeout and count against its breaker.
     */
    private CompletableFuture<SourceAnswer> ask(SourceSettings source, SourceQuery query, SendPermit permit, Executor thread) {
        CompletableFuture<SourceAnswer> answer = new CompletableFuture<>();
        thread.execute(() -> {
            answer.orTimeout(source.timeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                permit.beforeSend();
                answer.complete(producer.requestBody(SourceRoutes.endpointOf(source.id()), query, SourceAnswer.class));
            } catch (Throwable failure) {
                answer.completeExceptionally(new CompletionException(failure));
            }
        });
        return answer;
    }

    private boolean breakerOpen(SourceSettings source, Throwable failure) {
        CircuitBreaker.State state = guards.of(source.id()).breaker().getState();
        return FailureReasons.unwrap(failure) instanceof SourceRefused
                && (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN
                        || state == CircuitBreaker.State.HALF_OPEN);
    }

    @Override
    public void destroy() {
        upstreamThreads.close();
    }
}
