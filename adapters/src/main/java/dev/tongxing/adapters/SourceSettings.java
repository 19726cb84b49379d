package dev.tongxing.adapters;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the hub knows about one configured source: where it is, which format family it
 * speaks and how much it can take. Built from configuration, so that onboarding a province of an
 * existing family is a configuration entry, not code.
 *
 * @param id           stable identifier used in provenance, metrics and logs (e.g. {@code shaanxi-ymt})
 * @param family       name of the {@link FormatFamily} that maps this source's answers
 * @param kind         which status component the source answers for
 * @param province     GB/T 2260 two-digit code of the province; {@code 00} for national sources
 * @param endpoint     the source's query URL
 * @param timeout      upper bound for one upstream call; the caller's deadline may shorten it
 * @param zone         time zone in which the source writes local timestamps
 * @param maxBodyBytes answers larger than this are rejected unread
 * @param qrPrefix     prefix of the QR payloads the province's app shows, or empty if none
 * @param options      family-specific settings (documented by each family)
 * @param tls          client certificate and trust for an {@code https} or {@code grpcs} endpoint
 *                     that requires mutual TLS; empty for the JDK's default trust and no client certificate
 */
public record SourceSettings(
        String id,
        String family,
        SourceKind kind,
        String province,
        URI endpoint,
        Duration timeout,
        ZoneId zone,
        int maxBodyBytes,
        String qrPrefix,
        Map<String, String> options,
        Optional<TlsFiles> tls) {

    public SourceSettings {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(province, "province");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(zone, "zone");
        qrPrefix = qrPrefix == null ? "" : qrPrefix;
        options = options == null ? Map.of() : Map.copyOf(options);
        tls = tls == null ? Optional.empty() : tls;
    }

    /** A source reached with the JDK's default trust and no client certificate. */
    public SourceSettings(String id, String family, SourceKind kind, String province, URI endpoint, Duration timeout, ZoneId zone,
                          int maxBodyBytes, String qrPrefix, Map<String, String> options) {
        this(id, family, kind, province, endpoint, timeout, zone, maxBodyBytes, qrPrefix, options, Optional.empty());
    }

    /** A family-specific option, or the given default when the configuration does not set it. */
    public String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }
}
