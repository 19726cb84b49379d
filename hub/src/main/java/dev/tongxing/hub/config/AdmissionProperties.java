package dev.tongxing.hub.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Ingress admission control under {@code tongxing.admission}: how many calls the hub serves at
 * once, and how much of that lower-priority work may take. Checkpoint scans may use every slot;
 * manifests and audit queries stop at their share, so scans always find room.
 *
 * @param maxInFlight   calls and streams served at once
 * @param manifestShare share of {@code maxInFlight} manifest streams may hold
 * @param auditShare    share of {@code maxInFlight} audit queries may hold
 * @param pushback      how long a refused caller is told to wait before retrying
 */
@ConfigurationProperties("tongxing.admission")
public record AdmissionProperties(
        @DefaultValue("1024") int maxInFlight,
        @DefaultValue("0.5") double manifestShare,
        @DefaultValue("0.1") double auditShare,
        @DefaultValue("250ms") Duration pushback) {

    public AdmissionProperties {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("tongxing.admission.max-in-flight must be at least 1, got " + maxInFlight);
        }
        if (manifestShare <= 0 || manifestShare > 1 || auditShare <= 0 || auditShare > 1) {
            throw new IllegalArgumentException("tongxing.admission.manifest-share and audit-share must be in (0, 1]");
        }
        if (pushback.isNegative() || pushback.isZero()) {
            throw new IllegalArgumentException("tongxing.admission.pushback must be positive");
        }
    }
}
