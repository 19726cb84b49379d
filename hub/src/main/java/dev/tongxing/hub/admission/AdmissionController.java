package dev.tongxing.hub.admission;

import dev.tongxing.hub.config.AdmissionProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Bounded concurrency with priorities. One counter of calls in flight; each priority may admit
 * only while the counter is below its ceiling, so lower priorities leave headroom that only
 * scans can use. Over the ceiling the caller is refused at once: queueing is how the systems
 * this hub stands in front of fell over.
 */
@Component
public class AdmissionController {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Priority, Integer> ceilings = new EnumMap<>(Priority.class);
    private final Map<Priority, Counter> refused = new EnumMap<>(Priority.class);
    private final AdmissionProperties settings;

    public AdmissionController(AdmissionProperties settings, MeterRegistry meters) {
        this.settings = settings;
        ceilings.put(Priority.SCAN, settings.maxInFlight());
        ceilings.put(Priority.MANIFEST, Math.max(1, (int) (settings.maxInFlight() * settings.manifestShare())));
        ceilings.put(Priority.AUDIT, Math.max(1, (int) (settings.maxInFlight() * settings.auditShare())));
        for (Priority priority : Priority.values()) {
            refused.put(priority, Counter.builder("tongxing.admission.refused")
                    .description("Calls refused with RESOURCE_EXHAUSTED because the hub was at its ceiling for their priority")
                    .tag("priority", priority.name().toLowerCase())
                    .register(meters));
        }
        Gauge.builder("tongxing.admission.in_flight", inFlight, AtomicInteger::get)
                .description("Calls and streams being served").register(meters);
    }

    /** Takes a slot for a call of this priority, or returns false when the hub is at that priority's ceiling. */
    public boolean tryAdmit(Priority priority) {
        int ceiling = ceilings.get(priority);
        while (true) {
            int current = inFlight.get();
            if (current >= ceiling) {
                refused.get(priority).increment();
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void release() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** How long a refused caller should wait, in milliseconds, for gRPC's retry pushback. */
    public long pushbackMillis() {
        return settings.pushback().toMillis();
    }
}
