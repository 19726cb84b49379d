package dev.tongxing.hub.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ProvinceExchange} under {@code tongxing.exchange}. The applied-change store itself is the
 * {@code spring.datasource} (embedded H2 under {@code store-dir} by default, PostgreSQL in
 * production), its schema migrated by Flyway from {@code classpath:db/exchange}.
 *
 * @param storeDir          folder of the embedded store (used by the default {@code spring.datasource.url})
 * @param pseudonymKey      HMAC-SHA256 key turning a document number into the pseudonym that is
 *                          stored and logged instead; at least 32 characters. Changing it orphans
 *                          every stored change, so it is rotated only together with the store.
 * @param subscriberBuffer  changes waiting for one subscriber before it is disconnected as too slow
 * @param trackedTravelers  travelers whose sightings (where they were looked up) are remembered
 * @param sightingRetention how long a sighting is remembered after the traveler's last lookup
 */
@ConfigurationProperties("tongxing.exchange")
public record ExchangeProperties(
        @DefaultValue("./target/tongxing-data") String storeDir,
        String pseudonymKey,
        @DefaultValue("256") int subscriberBuffer,
        @DefaultValue("500000") int trackedTravelers,
        @DefaultValue("24h") Duration sightingRetention) {

    public ExchangeProperties {
        if (pseudonymKey == null || pseudonymKey.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("tongxing.exchange.pseudonym-key is required and must be at least 32 characters");
        }
        if (subscriberBuffer < 1) {
            throw new IllegalArgumentException("tongxing.exchange.subscriber-buffer must be at least 1");
        }
        if (trackedTravelers < 1) {
            throw new IllegalArgumentException("tongxing.exchange.tracked-travelers must be at least 1");
        }
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "ExchangeProperties[storeDir=" + storeDir + ", subscriberBuffer=" + subscriberBuffer
                + ", trackedTravelers=" + trackedTravelers + ", sightingRetention=" + sightingRetention + "]";
    }
}
