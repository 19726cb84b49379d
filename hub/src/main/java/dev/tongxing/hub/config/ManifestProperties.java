package dev.tongxing.hub.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code TravelerStatusService.CheckBatch} manifest streams under {@code tongxing.manifest}.
 *
 * @param maxEntries entries one stream may carry, default 5000: more than the longest train
 *                   (a 16-car G-series set seats about 1,200) or flight manifest, so a real
 *                   manifest always fits, while one stream cannot hold the hub's duplicate-check
 *                   memory and a manifest slot for ever. The entry past it gets a
 *                   RESOURCE_EXHAUSTED entry error and the stream ends; the caller opens another.
 */
@ConfigurationProperties("tongxing.manifest")
public record ManifestProperties(@DefaultValue("5000") int maxEntries) {

    public ManifestProperties {
        if (maxEntries < 1 || maxEntries > 1_000_000) {
            throw new IllegalArgumentException("tongxing.manifest.max-entries must be 1..1000000, got " + maxEntries);
        }
    }
}
