package dev.tongxing.hub.config;

import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceSettings;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * One source as configured under {@code tongxing.sources.<id>}. The map key is the source's stable
 * identifier (lower-case letters, digits and dashes), used in provenance, metrics and logs. Keyed
 * by id rather than listed, so that a deployment can onboard a province with one more YAML file
 * without repeating the others. Invalid values stop start-up with a message naming the property.
 *
 * @param family     format family name, e.g. {@code pinyin-json}
 * @param province   GB/T 2260 code; {@code 00} for the national travel card
 * @param endpoint   http(s) URL the source answers on, or {@code grpc://host:port} ({@code grpcs://} for
 *                   TLS) for a family that speaks gRPC ({@code tongxing-grpc}); which scheme a family
 *                   needs is checked against the family at start-up
 * @param timeout    longest one upstream call may take
 * @param zone       zone of the source's local timestamps
 * @param maxBody    largest answer accepted
 * @param qrPrefix   prefix of the province app's QR payloads, if it has them
 * @param cache      cache policy for this source's answers
 * @param resilience breaker, bulkhead, rate limit and retry budget toward this source
 * @param fallback   id of a source asked instead while this one's breaker is open (e.g. the travel card's carrier SMS channel)
 * @param options    family-specific options
 * @param tls        mutual TLS toward this source ({@code https} or {@code grpcs} endpoints only)
 */
public record SourceProperties(
        String family,
        String province,
        URI endpoint,
        @DefaultValue("800ms") Duration timeout,
        @DefaultValue("Asia/Shanghai") ZoneId zone,
        @DefaultValue("256KB") DataSize maxBody,
        @DefaultValue("") String qrPrefix,
        @DefaultValue CacheProperties cache,
        @DefaultValue ResilienceProperties resilience,
        @DefaultValue("") String fallback,
        Map<String, String> options,
        @DefaultValue SourceTlsProperties tls) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern PROVINCE = Pattern.compile("\\d\\d");
    private static final java.util.Set<String> SCHEMES = java.util.Set.of("http", "https", "grpc", "grpcs");

    public SourceProperties {
        require(family != null && !family.isBlank(), "family", "is required");
        require(province != null && PROVINCE.matcher(province).matches(), "province", "must be a two-digit GB/T 2260 code");
        require(endpoint != null && SCHEMES.contains(endpoint.getScheme()), "endpoint",
                "must be an http, https, grpc or grpcs URL");
        require(!isGrpc(endpoint) || (endpoint.getHost() != null && endpoint.getPort() > 0
                        && (endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() || endpoint.getRawPath().equals("/"))
                        && endpoint.getRawQuery() == null),
                "endpoint", "must be grpc://host:port (or grpcs://host:port) with no path or query");
        require(!timeout.isNegative() && !timeout.isZero(), "timeout", "must be positive");
        require(maxBody.toBytes() > 0 && maxBody.toBytes() <= 16L * 1024 * 1024, "max-body", "must be between 1B and 16MB");
        options = options == null ? Map.of() : Map.copyOf(options);
        require(!tls.configured() || "https".equals(endpoint.getScheme()) || "grpcs".equals(endpoint.getScheme()), "tls",
                "is set, but the endpoint is not https:// or grpcs://");
    }

    private static void require(boolean condition, String property, String message) {
        if (!condition) {
            throw new IllegalArgumentException(property + " " + message);
        }
    }

    /** True when the endpoint is a gRPC address rather than an HTTP URL. */
    public boolean isGrpc() {
        return isGrpc(endpoint);
    }

    private static boolean isGrpc(URI endpoint) {
        return "grpc".equals(endpoint.getScheme()) || "grpcs".equals(endpoint.getScheme());
    }

    /** @throws IllegalArgumentException when the id is not a usable identifier */
    public static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("tongxing.sources: id '" + id + "' must be lower-case letters, digits and dashes");
        }
    }

    public SourceSettings toSettings(String id, SourceKind kind) {
        return new SourceSettings(id, family, kind, province, endpoint, timeout, zone,
                (int) maxBody.toBytes(), qrPrefix, options, tls.load());
    }
}
