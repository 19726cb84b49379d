package dev.tongxing.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the hub's own counters from its Prometheus endpoint: how many calls each source has
 * received (completed upstream calls, {@code tongxing_source_latency_seconds_count}) and how many
 * the hub held back at the source's declared capacity. Sampled each second, they show each
 * source's received rate against its capacity.
 */
final class HubMetrics {

    private static final Pattern SAMPLE = Pattern.compile("^(tongxing_source_latency_seconds_count|tongxing_source_rate_limited_total)\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern SOURCE = Pattern.compile("source=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI endpoint;

    HubMetrics(int opsPort) {
        this.endpoint = URI.create("http://127.0.0.1:" + opsPort + "/actuator/prometheus");
    }

    /** Source id to calls it has received since the hub started. */
    Map<String, Double> received() throws IOException, InterruptedException {
        return read("tongxing_source_latency_seconds_count");
    }

    Map<String, Double> rateLimited() throws IOException, InterruptedException {
        return read("tongxing_source_rate_limited_total");
    }

    private Map<String, Double> read(String metric) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> values = new HashMap<>();
        for (String line : body.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.find() && m.group(1).equals(metric)) {
                Matcher source = SOURCE.matcher(m.group(2));
                if (source.find()) {
                    values.merge(source.group(1), Double.parseDouble(m.group(3)), Double::sum);
                }
            }
        }
        return values;
    }
}
