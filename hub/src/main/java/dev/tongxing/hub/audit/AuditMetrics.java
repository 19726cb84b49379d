package dev.tongxing.hub.audit;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** The audit writer's counters for Prometheus: records per commit shows group commit at work. */
@Component
class AuditMetrics {

    AuditMetrics(AuditWriter writer, MeterRegistry meters) {
        FunctionCounter.builder("tongxing.audit.records", writer, AuditWriter::recorded)
                .description("Audit records committed").register(meters);
        FunctionCounter.builder("tongxing.audit.commits", writer, AuditWriter::commits)
                .description("Audit transactions committed (each carries every record pending at that moment)").register(meters);
        Gauge.builder("tongxing.audit.pending", writer, AuditWriter::pending)
                .description("Audit records waiting for the writer").register(meters);
        Gauge.builder("tongxing.audit.copy.backlog", writer, AuditWriter::copyBacklog)
                .description("Audit records durable in the journal and not yet in the store").register(meters);
    }
}
