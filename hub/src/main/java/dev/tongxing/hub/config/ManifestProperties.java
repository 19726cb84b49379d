package dev.tongxing.hub.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Manifests ({@code TravelerStatusService.CheckBatch} and {@code PrefetchManifest}) under
 * {@code tongxing.manifest}.
 *
 * @param maxEntries          entries one stream may carry, default 5000: more than the longest train
 *                            (a 16-car G-series set seats about 1,200) or flight manifest, so a real
 *                            manifest always fits, while one stream cannot hold the hub's duplicate-check
 *                            memory and a manifest slot for ever. The entry past it gets a
 *                            RESOURCE_EXHAUSTED entry error and the stream ends; the caller opens another.
 * @param maxWait             how long a manifest or prefetch stream's entries may wait for a source's
 *                            capacity when the caller set no deadline (and the most they wait even when
 *                            it set a longer one), default 10 minutes: a 5,000-entry manifest for a
 *                            province declared at 10 requests per second still completes, and a stream
 *                            its caller forgot cannot hold waiting calls for hours.
 * @param scanReserve         share of each of a source's rate-limit cycles that waiting manifest entries
 *                            and prefetches leave to scans while scans are asking that source (within
 *                            the last second), rounded up to whole permits; default 0.25. With no scans
 *                            about, manifests get the whole capacity. 0 keeps no reserve (scans then
 *                            only go ahead of calls still waiting), 1 lets manifests run only between scans.
 * @param prefetchShare       the most of a source's declared capacity prefetches may use, default 0.5; they
 *                            also only take what no scan and no manifest entry is waiting for.
 * @param maxWaitingPerSource calls that may wait for one source's capacity at once, default 20000; one
 *                            more is answered as if at capacity. Bounds the hub's memory whatever the
 *                            number of streams (each stream has at most 64 entries in flight anyway).
 */
@ConfigurationProperties("tongxing.manifest")
public record ManifestProperties(
        @DefaultValue("5000") int maxEntries,
        @DefaultValue("10m") Duration maxWait,
        @DefaultValue("0.25") double scanReserve,
        @DefaultValue("0.5") double prefetchShare,
        @DefaultValue("20000") int maxWaitingPerSource) {

    public ManifestProperties {
        if (maxEntries < 1 || maxEntries > 1_000_000) {
            throw new IllegalArgumentException("tongxing.manifest.max-entries must be 1..1000000, got " + maxEntries);
        }
        if (maxWait == null || maxWait.isNegative() || maxWait.isZero() || maxWait.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("tongxing.manifest.max-wait must be positive and at most 24h, got " + maxWait);
        }
        if (!(scanReserve >= 0 && scanReserve <= 1)) {
            throw new IllegalArgumentException("tongxing.manifest.scan-reserve must be within 0..1, got " + scanReserve);
        }
        if (!(prefetchShare > 0 && prefetchShare <= 1)) {
            throw new IllegalArgumentException("tongxing.manifest.prefetch-share must be within (0, 1], got " + prefetchShare);
        }
        if (maxWaitingPerSource < 1 || maxWaitingPerSource > 1_000_000) {
            throw new IllegalArgumentException("tongxing.manifest.max-waiting-per-source must be 1..1000000, got " + maxWaitingPerSource);
        }
    }
}
