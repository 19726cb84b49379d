package dev.tongxing.hub.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Ingress admission control under {@code tongxing.admission}: how many calls the hub serves at
 * once, and how much of that lower-priority work may take. Checkpoint scans may use every slot;
 * manifests and audit queries stop at their share, so scans always find room.
 *
 * <p>{@code ProvinceExchange} streams live for hours and are mostly idle, so they do not count
 * against {@code maxInFlight} at all: they have a budget of their own ({@code maxStreams}) and a
 * cap per calling system ({@code maxStreamsPerPeer}), and however many a province opens, scans
 * never wait for them.
 *
 * @param maxInFlight   calls and streams served at once (exchange streams excepted)
 * @param manifestShare share of {@code maxInFlight} manifest streams may hold
 * @param auditShare    share of {@code maxInFlight} audit queries may hold
 * @param pushback      how long a refused caller is told to wait before retrying
 * @param maxStreams    {@code ProvinceExchange} streams (publish and subscribe) open at once, all
 *                      callers together; default 512: 34 provincial-level systems with a publish and
 *                      a subscribe stream each from a few replicas, with room to spare
 * @param maxStreamsPerPeer {@code ProvinceExchange} streams one calling system may hold at once
 *                      (keyed by its authenticated client id, or by its address when the call carries
 *                      no identity); default 16, enough for a publisher that opens several streams for
 *                      throughput, while one misbehaving system cannot take the whole budget
 */
@ConfigurationProperties("tongxing.admission")
public record AdmissionProperties(
        @DefaultValue("1024") int maxInFlight,
        @DefaultValue("0.5") double manifestShare,
        @DefaultValue("0.1") double auditShare,
        @DefaultValue("250ms") Duration pushback,
        @DefaultValue("512") int maxStreams,
        @DefaultValue("16") int maxStreamsPerPeer) {

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
        if (maxStreams < 1) {
            throw new IllegalArgumentException("tongxing.admission.max-streams must be at least 1, got " + maxStreams);
        }
        if (maxStreamsPerPeer < 1 || maxStreamsPerPeer > maxStreams) {
            throw new IllegalArgumentException("tongxing.admission.max-streams-per-peer must be between 1 and max-streams ("
                    + maxStreams + "), got " + maxStreamsPerPeer);
        }
    }
}
