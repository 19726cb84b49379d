package dev.tongxing.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One GET to a process the bench started, on loopback; anything but 200 fails naming the address and the answer. */
final class LoopbackGet {

    private LoopbackGet() {}

    /** A hub's metrics, Prometheus text, from its operations port. */
    static String hubMetrics(int opsPort) throws IOException, InterruptedException {
        return body(URI.create("http://127.0.0.1:" + opsPort + "/actuator/prometheus"));
    }

    static String body(URI uri) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        }
    }
}
