package dev.tongxing.simulators;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;

/**
 * What the simulated provinces share: POST only, small requests, the configured latency, and an
 * answer in the province's own format. Each province decides its wire format in {@link #answer}.
 */
abstract class SimulatedProvince implements HttpHandler {

    static final ZoneId BEIJING_TIME = ZoneId.of("Asia/Shanghai");
    /** Requests larger than this are not from the hub; the simulators refuse them. */
    private static final int MAX_REQUEST = 4096;

    /** One HTTP answer. */
    record Reply(int status, String contentType, byte[] body) {}

    protected final SimulatedPopulation population;
    protected final Clock clock;
    private final Runnable latency;
    private final String province;

    SimulatedProvince(String province, SimulatedPopulation population, Clock clock, Runnable latency) {
        this.province = province;
        this.population = population;
        this.clock = clock;
        this.latency = latency;
    }

    abstract Reply answer(byte[] request);

    /** A resident of this province by document number; travelers from elsewhere are unknown here. */
    protected Optional<SimulatedTraveler> resident(String number) {
        return number.startsWith(province) ? population.byResidentId(number) : Optional.empty();
    }

    /** {@code 4401**********123X}: the first and last four characters shown. */
    protected static String maskNumber(String number) {
        return number.length() <= 8 ? "*".repeat(number.length())
                : number.substring(0, 4) + "*".repeat(number.length() - 8) + number.substring(number.length() - 4);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Reply reply;
            if (!exchange.getRequestMethod().equals("POST")) {
                reply = new Reply(405, "text/plain; charset=UTF-8", "POST only".getBytes(StandardCharsets.UTF_8));
            } else {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readNBytes(MAX_REQUEST + 1);
                }
                if (body.length > MAX_REQUEST) {
                    reply = new Reply(413, "text/plain; charset=UTF-8", "request too large".getBytes(StandardCharsets.UTF_8));
                } else {
                    latency.run();
                    reply = answer(body);
                }
            }
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.sendResponseHeaders(reply.status(), reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }
}
