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
 * One source as configured under {@code tongxing.sources[n]}. Invalid values stop start-up with a
 * message naming the source and the property.
 *
 * @param id         stable identifier (lower case letters, digits and dashes)
 * @param family     format family name, e.g. {@code pinyin-json}
 * @param province   GB/T 2260 code; {@code 00} for the national travel card
 * @param endpoint   http(s) URL the source answers on
 * @param timeout    longest one upstream call may take
 * @param zone       zone of the source's local timestamps
 * @param maxBody    largest answer accepted
 * @param qrPrefix   prefix of the province app's QR payloads, if it has them
 * @param cache      cache policy for this source's answers
 * @param options    family-specific options
 */
public record SourceProperties(
        String id,
        String family,
        String province,
        URI endpoint,
        @DefaultValue("800ms") Duration timeout,
        @DefaultValue("Asia/Shanghai") ZoneId zone,
        @DefaultValue("256KB") DataSize maxBody,
        @DefaultValue("") String qrPrefix,
        @DefaultValue CacheProperties cache,
        Map<String, String> options) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern PROVINCE = Pattern.compile("\\d\\d");

    public SourceProperties {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("tongxing.sources[].id '" + id + "' must be lower-case letters, digits and dashes");
        }
        require(family != null && !family.isBlank(), id, "family", "is required");
        require(province != null && PROVINCE.matcher(province).matches(), id, "province", "must be a two-digit GB/T 2260 code");
        require(endpoint != null && ("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme())),
                id, "endpoint", "must be an http or https URL");
        require(!timeout.isNegative() && !timeout.isZero(), id, "timeout", "must be positive");
        require(maxBody.toBytes() > 0 && maxBody.toBytes() <= 16L * 1024 * 1024, id, "max-body", "must be between 1B and 16MB");
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    static void require(boolean condition, String id, String property, String message) {
        if (!condition) {
            throw new IllegalArgumentException("tongxing.sources[" + id + "]." + property + " " + message);
        }
    }

    public SourceSettings toSettings(SourceKind kind) {
        return new SourceSettings(id, family, kind, province, endpoint, timeout, zone,
                (int) maxBody.toBytes(), qrPrefix, options);
    }
}
