package dev.tongxing.hub.audit;

import dev.tongxing.hub.exchange.AppliedChangeStore;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes personal data older than {@code tongxing.audit.retention}: the pseudonym, masked name
 * and salt of audit records (the digest the chain covers stays, so every chain still verifies),
 * and applied status changes. Runs every {@code tongxing.audit.retention-every}, first at start.
 */
@Component
public class AuditRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

    private final AuditStore store;
    private final AppliedChangeStore changes;
    private final Clock clock;
    private final AuditProperties properties;
    private ScheduledExecutorService schedule;

    public AuditRetention(AuditStore store, AppliedChangeStore changes, Clock clock, AuditProperties properties) {
        this.store = store;
        this.changes = changes;
        this.clock = clock;
        this.properties = properties;
    }

    /** Applies retention now; returns the audit records whose personal part was deleted. */
    public int applyNow() {
        Instant cutoff = clock.instant().minus(properties.retention());
        int records = store.forgetPersonal(cutoff);
        int forgotten = changes.forgetAppliedBefore(cutoff);
        if (records > 0 || forgotten > 0) {
            log.info("retention removed the personal part of {} audit record(s) and {} applied change(s) older than {}",
                    records, forgotten, cutoff);
        }
        return records;
    }

    @Override
    public void start() {
        schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("audit-retention").daemon().factory());
        long every = properties.retentionEvery().toMillis();
        schedule.scheduleWithFixedDelay(() -> {
            try {
                applyNow();
            } catch (RuntimeException e) {
                log.warn("audit retention failed: {}", e.getClass().getName());
            }
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (schedule != null) {
            schedule.shutdownNow();
            schedule = null;
        }
    }

    @Override
    public boolean isRunning() {
        return schedule != null;
    }
}
