package dev.tongxing.simulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The simulated systems count what reaches them, per 10 ms, so the benchmark can check a source's load where it lands. */
class ArrivalsTest {

    @Test
    void countsPerBucketAndForgetsWhatIsOlderThanTheRetention() {
        AtomicLong now = new AtomicLong(1_000_000);
        Arrivals arrivals = new Arrivals(now::get);
        arrivals.record("ymt-61");
        arrivals.record("ymt-61");
        now.addAndGet(25);
        arrivals.record("ymt-61");
        arrivals.record("travel-card");

        assertThat(arrivals.counts(1_000_000, 1_000_030).get("ymt-61")).containsExactly(2, 0, 1, 0);
        assertThat(arrivals.counts(1_000_000, 1_000_030).get("travel-card")).containsExactly(0, 0, 1, 0);

        // The same ring slot, one retention later: the old count is not read as new.
        now.addAndGet(Arrivals.RETENTION.toMillis());
        arrivals.record("ymt-61");
        assertThat(arrivals.counts(now.get(), now.get()).get("ymt-61")).containsExactly(1);
        assertThat(arrivals.counts(1_000_000, 1_000_030).get("ymt-61")).containsOnly(0);
    }

    @Test
    void refusesARangeBackwardsOrLongerThanItKeeps() {
        Arrivals arrivals = new Arrivals();
        assertThatThrownBy(() -> arrivals.counts(2_000, 1_000)).hasMessageContaining("before from");
        assertThatThrownBy(() -> arrivals.counts(0, Arrivals.RETENTION.toMillis())).hasMessageContaining("at most 5 minutes");
    }

    @Test
    void httpAndGrpcSystemsCountArrivalsAndServeThem() throws Exception {
        long from = System.currentTimeMillis();
        try (SimulatedSystems systems = SimulatedSystems.start(0, 0, new SimulatedPopulation(100), Duration.ZERO, Duration.ZERO, Clock.systemUTC());
             HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + systems.httpPort();
            for (int i = 0; i < 3; i++) {
                // Counted on arrival, whatever the answer: a malformed query reached the system all the same.
                http.send(HttpRequest.newBuilder(URI.create(base + SimulatedSources.SHAANXI_PATH)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            http.send(HttpRequest.newBuilder(URI.create(base + "/ymt/61/elsewhere")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", systems.grpcPort()).usePlaintext().build();
            try {
                assertThatThrownBy(() -> TravelerStatusServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getStatus(GetStatusRequest.newBuilder().setTraveler(TravelerKey.newBuilder()
                                .setDocumentType(DocumentType.RESIDENT_ID).setDocumentNumber("610102196001011000")).build()))
                        .isInstanceOf(StatusRuntimeException.class);
            } finally {
                channel.shutdownNow();
            }
            long to = System.currentTimeMillis();

            HttpResponse<String> served = http.send(HttpRequest.newBuilder(URI.create(base + SimulatedSources.ARRIVALS_PATH + "?from=" + from + "&to=" + to))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(served.body());
            assertThat(body.get("bucketMillis").asInt()).isEqualTo(Arrivals.BUCKET_MILLIS);
            assertThat(body.get("firstBucketMillis").asLong()).isEqualTo(from / 10 * 10);
            assertThat(total(body.at("/systems/ymt-61"))).isEqualTo(3);
            assertThat(total(body.at("/systems/sichuan-tfjkt"))).isEqualTo(1);
            assertThat(body.at("/systems/ymt-61").size()).isEqualTo((int) (to / 10 - from / 10 + 1));

            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + SimulatedSources.ARRIVALS_PATH + "?since=yesterday")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(wrong.body()).contains("from=<epoch ms>&to=<epoch ms>");
        }
    }

    private static long total(JsonNode counts) {
        long total = 0;
        for (JsonNode count : counts) {
            total += count.asLong();
        }
        return total;
    }
}
