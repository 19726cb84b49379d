package dev.tongxing.hub.admission;

import dev.tongxing.hub.config.AdmissionProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Bounded concurrency with priorities. One counter of calls in flight; each priority may admit
 * only while the counter is below its ceiling, so lower priorities leave headroom that only
 * scans can use. Over the ceiling the caller is refused at once: queueing is how the systems
 * this hub stands in front of fell over.
 *
 * <p>Exchange streams are counted apart ({@link #tryAdmitStream}): an idle subscription held for
 * hours must never be what keeps a checkpoint's scan out.
 */
@Component
public class AdmissionController {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<Priority, Integer> ceilings = new EnumMap<>(Priority.class);
    private final Map<Priority, Counter> refused = new EnumMap<>(Priority.class);
    private final AdmissionProperties settings;
    /** Exchange streams open, in all and per peer; guarded by {@code this} (streams open rarely). */
    private int streams;
    private final Map<String, Integer> streamsByPeer = new HashMap<>();

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
                .description("Calls and streams being served, exchange streams excepted").register(meters);
        Gauge.builder("tongxing.admission.exchange_streams", this, AdmissionController::streams)
                .description("ProvinceExchange streams open").register(meters);
    }

    /** Takes a slot for a call of this priority, or returns false when the hub is at that priority's ceiling. */
    public boolean tryAdmit(Priority priority) {
        if (priority == Priority.EXCHANGE) {
            throw new IllegalArgumentException("exchange streams are admitted by tryAdmitStream");
        }
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

    /**
     * Takes a slot in the exchange streams' own budget for this peer (a calling system's client id,
     * or its address). Empty when admitted; otherwise why not, for the caller to read.
     */
    public synchronized Optional<String> tryAdmitStream(String peer) {
        int held = streamsByPeer.getOrDefault(peer, 0);
        if (held >= settings.maxStreamsPerPeer()) {
            refused.get(Priority.EXCHANGE).increment();
            return Optional.of("this caller already holds " + held + " exchange streams, the most one caller may hold"
                    + " (tongxing.admission.max-streams-per-peer); close one, or retry after " + pushbackMillis() + " ms");
        }
        if (streams >= settings.maxStreams()) {
            refused.get(Priority.EXCHANGE).increment();
            return Optional.of("hub at capacity for exchange streams (" + streams
                    + " open, tongxing.admission.max-streams); retry after " + pushbackMillis() + " ms");
        }
        streams++;
        streamsByPeer.put(peer, held + 1);
        return Optional.empty();
    }

    /** Gives back a slot taken by {@link #tryAdmitStream} for this peer. */
    public synchronized void releaseStream(String peer) {
        streams--;
        streamsByPeer.computeIfPresent(peer, (key, held) -> held <= 1 ? null : held - 1);
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Exchange streams open now. */
    public synchronized int streams() {
        return streams;
    }

    /** Exchange streams this peer holds now. */
    public synchronized int streamsOf(String peer) {
        return streamsByPeer.getOrDefault(peer, 0);
    }

    /** How long a refused caller should wait, in milliseconds, for gRPC's retry pushback. */
    public long pushbackMillis() {
        return settings.pushback().toMillis();
    }
}
