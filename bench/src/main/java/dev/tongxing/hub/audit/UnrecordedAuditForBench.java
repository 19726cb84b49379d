package dev.tongxing.hub.audit;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * BENCH ONLY, never part of the hub: an audit writer that records nothing, so the bench can
 * measure what durable audit costs a lookup. It lives in the hub's audit package because the
 * writer's store is package-private there, and it is deliberately not annotated as a component:
 * the bench's hub process registers it explicitly ({@code BenchHub --bench.audit=off}), and no
 * component scan of the hub can pick it up.
 */
public class UnrecordedAuditForBench {

    @Bean
    @Primary
    AuditWriter unrecordedAuditWriter(AuditStore store, Clock clock, AuditProperties properties) {
        return new AuditWriter(store, clock, properties) {
            @Override
            public CompletableFuture<AuditRow> append(AuditEntry entry) {
                return CompletableFuture.completedFuture(null);
            }

            // Both ways in: a lookup's record comes through this one.
            @Override
            public CompletableFuture<AuditRow> appendForCall(AuditEntry entry) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }
}
