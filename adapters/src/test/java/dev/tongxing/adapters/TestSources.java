package dev.tongxing.adapters;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;

/** Source settings and replies for mapper tests. */
public final class TestSources {

    private TestSources() {}

    public static SourceSettings settings(String id, String family, SourceKind kind, String province) {
        return new SourceSettings(id, family, kind, province, URI.create("http://127.0.0.1:1/query"), Duration.ofMillis(500),
                ZoneId.of("Asia/Shanghai"), 64 * 1024, "SXYMT1:", Map.of());
    }

    public static UpstreamReply json(String body) {
        return new UpstreamReply(200, "application/json; charset=UTF-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public static UpstreamReply reply(int status, String contentType, String body, Charset charset) {
        return new UpstreamReply(status, contentType, body.getBytes(charset));
    }
}
