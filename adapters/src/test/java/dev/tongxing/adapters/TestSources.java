package dev.tongxing.adapters;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/** Settings, queries and replies for mapper unit tests. */
public final class TestSources {

    /** 2022-01-04 09:30 Beijing time, the morning Xi'an's platform went down. */
    public static final Instant NOW = Instant.parse("2022-01-04T01:30:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private TestSources() {}

    public static SourceSettings settings(String id, String family, SourceKind kind, String province) {
        return new SourceSettings(id, family, kind, province, URI.create("http://127.0.0.1:1/query"), Duration.ofMillis(500),
                ZoneId.of("Asia/Shanghai"), 64 * 1024, "SXYMT1:", Map.of());
    }

    public static SourceSettings settings(String id, String family, String province, Map<String, String> options) {
        return new SourceSettings(id, family, SourceKind.HEALTH_CODE, province, URI.create("http://127.0.0.1:1/query"),
                Duration.ofMillis(800), ZoneId.of("Asia/Shanghai"), 64 * 1024, "", options);
    }

    public static SourceQuery resident(String number) {
        return new SourceQuery(dev.tongxing.api.v1.DocumentType.RESIDENT_ID, number, "13800138000", number.substring(0, 2));
    }

    public static UpstreamReply json(String body) {
        return new UpstreamReply(200, "application/json; charset=UTF-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public static UpstreamReply reply(int status, String contentType, String body, Charset charset) {
        return new UpstreamReply(status, contentType, body.getBytes(charset));
    }
}
