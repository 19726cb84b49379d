package dev.tongxing.simulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated source systems on loopback, each speaking its real wire format over HTTP, with some
 * latency: one-code platforms in the pinyin-JSON format at {@code /ymt/<province>/api/v1/query}
 * (Shaanxi {@value #SHAANXI_PATH}, Gansu {@code /ymt/62/...}; each knows only its own province's
 * residents), the national travel-history card ({@value #TRAVEL_CARD_PATH}) and the carriers' SMS
 * channel for it ({@link CarrierSmsGateway}), and Guangdong, Beijing and Shanghai
 * ({@link GuangdongYkm}, {@link BeijingJkb}, {@link ShanghaiSsm}). Sichuan speaks gRPC on a port
 * of its own ({@link SichuanTfjkt}). They back
 * the hub's demo mode and give newcomers real
 * answers with nothing else installed.
 */
public final class SimulatedSources implements AutoCloseable {

    public static final String SHAANXI_PATH = "/ymt/61/api/v1/query";
    private static final java.util.regex.Pattern YMT_PATH = java.util.regex.Pattern.compile("/ymt/(\\d\\d)/api/v1/query");
    public static final String TRAVEL_CARD_PATH = "/travelcard/api/v1/query";
    /** {@code GET ?from=<epoch ms>&to=<epoch ms>}: what each system received, per {@link Arrivals#BUCKET_MILLIS} ms. */
    public static final String ARRIVALS_PATH = "/simulator/arrivals";
    private static final java.util.regex.Pattern ARRIVALS_QUERY = java.util.regex.Pattern.compile("from=(\\d{1,15})&to=(\\d{1,15})");

    private static final Logger log = LoggerFactory.getLogger(SimulatedSources.class);
    private static final ZoneId BEIJING_TIME = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Requests larger than this are not from the hub; the simulators refuse them. */
    private static final int MAX_REQUEST = 4096;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final SimulatedPopulation population;
    private final Duration minLatency;
    private final Duration maxLatency;
    private final Clock clock;

    private SimulatedSources(HttpServer server, SimulatedPopulation population, Duration minLatency, Duration maxLatency, Clock clock) {
        this.server = server;
        this.population = population;
        this.minLatency = minLatency;
        this.maxLatency = maxLatency;
        this.clock = clock;
    }

    /** Starts the simulators on 127.0.0.1 at the given port (0 picks a free one). */
    public static SimulatedSources start(int port, SimulatedPopulation population, Duration minLatency, Duration maxLatency, Clock clock)
            throws IOException {
        return start(port, population, minLatency, maxLatency, clock, new Arrivals());
    }

    /**
     * As {@link #start(int, SimulatedPopulation, Duration, Duration, Clock)}, counting every status
     * query that arrives into {@code arrivals} and serving the counts at {@value #ARRIVALS_PATH}.
     */
    public static SimulatedSources start(int port, SimulatedPopulation population, Duration minLatency, Duration maxLatency, Clock clock,
                                         Arrivals arrivals) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        SimulatedSources sources = new SimulatedSources(server, population, minLatency, maxLatency, clock);
        server.setExecutor(sources.threads);
        server.createContext("/ymt/", exchange -> {
            var path = YMT_PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches()) {
                try (exchange) {
                    send(exchange, 404, Map.of("error", "no such province system"));
                }
                return;
            }
            // Counted here rather than by a filter: only a province the path names is a system.
            arrivals.record("ymt-" + path.group(1));
            sources.handle(exchange, request -> sources.oneCode(path.group(1), request));
        });
        server.createContext(TRAVEL_CARD_PATH, exchange -> sources.handle(exchange, sources::travelCard))
                .getFilters().add(arrivals.counting("travel-card"));
        server.createContext(GuangdongYkm.PATH, new GuangdongYkm(population, clock, sources::pause))
                .getFilters().add(arrivals.counting("guangdong-ykm"));
        server.createContext(BeijingJkb.PATH, new BeijingJkb(population, clock, sources::pause))
                .getFilters().add(arrivals.counting("beijing-jkb"));
        server.createContext(ShanghaiSsm.PATH, new ShanghaiSsm(population, clock, sources::pause))
                .getFilters().add(arrivals.counting("shanghai-ssm"));
        server.createContext(ARRIVALS_PATH, exchange -> serveArrivals(exchange, arrivals));
        server.createContext(CarrierSmsGateway.PATH, new CarrierSmsGateway(population, clock, sources::pause));
        server.createContext(SimulatedCodeApps.PATH, SimulatedCodeApps.demo(population, clock));
        server.start();
        log.info("Simulated sources on http://127.0.0.1:{} ({} travelers)", sources.port(), population.all().size());
        return sources;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    private interface Answer {
        Map<String, Object> answer(JsonNode request);
    }

    private void handle(HttpExchange exchange, Answer answer) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                send(exchange, 405, Map.of("error", "POST only"));
                return;
            }
            JsonNode request;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readNBytes(MAX_REQUEST + 1);
                if (body.length > MAX_REQUEST) {
                    send(exchange, 413, Map.of("error", "request too large"));
                    return;
                }
                request = JSON.readTree(body);
            } catch (IOException e) {
                send(exchange, 400, Map.of("error", "request is not JSON"));
                return;
            }
            pause();
            send(exchange, 200, answer.answer(request));
        }
    }

    private Map<String, Object> oneCode(String province, JsonNode request) {
        String number = request.path("zjhm").asText("");
        var traveler = population.byResidentId(number).filter(t -> t.residentId().startsWith(province));
        Map<String, Object> reply = new LinkedHashMap<>();
        if (traveler.isEmpty()) {
            reply.put("zt", "1");
            reply.put("xx", "未查询到该人员信息");
            reply.put("sj", null);
            return reply;
        }
        SimulatedTraveler t = traveler.get();
        LocalDateTime now = LocalDateTime.now(clock.withZone(BEIJING_TIME));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("xm", t.maskedName());
        data.put("zjhm", number.substring(0, 4) + "**********" + number.substring(14));
        data.put("mys", t.healthColour());
        data.put("yy", t.reason());
        data.put("yxq", now.toLocalDate().atTime(23, 59, 59).format(DATE_TIME));
        data.put("gxsj", now.minusMinutes(t.index() % 600).withNano(0).format(DATE_TIME));
        data.put("hsjc", Map.of("jcjg", t.healthColour().equals("hongma") ? "yangxing" : "yinxing",
                "cysj", now.minusHours(6 + t.index() % 60).withNano(0).format(DATE_TIME)));
        data.put("ymjz", Map.of("jzzc", 1 + t.index() % 3, "zhjzrq", LocalDate.of(2021, 11, 1).plusDays(t.index() % 60).toString(),
                "qc", t.index() % 3 == 0 ? "0" : "1"));
        reply.put("zt", "0");
        reply.put("xx", "成功");
        reply.put("sj", data);
        return reply;
    }

    private Map<String, Object> travelCard(JsonNode request) {
        String phone = request.path("msisdn").asText("");
        var traveler = population.byPhone(phone);
        Map<String, Object> reply = new LinkedHashMap<>();
        if (traveler.isEmpty()) {
            reply.put("code", "1001");
            reply.put("message", "no record");
            return reply;
        }
        SimulatedTraveler t = traveler.get();
        LocalDateTime now = LocalDateTime.now(clock.withZone(BEIJING_TIME));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("msisdn", phone.substring(0, 3) + "****" + phone.substring(7));
        result.put("color", t.cardColour());
        result.put("days", 14);
        result.put("updateTime", now.minusMinutes(t.index() % 120).withNano(0).format(DATE_TIME));
        result.put("cities", t.cities());
        reply.put("code", "0");
        reply.put("message", "success");
        reply.put("result", result);
        return reply;
    }

    private void pause() {
        long min = minLatency.toMillis();
        long max = maxLatency.toMillis();
        long millis = max <= min ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void serveArrivals(HttpExchange exchange, Arrivals arrivals) throws IOException {
        try (exchange) {
            var query = ARRIVALS_QUERY.matcher(String.valueOf(exchange.getRequestURI().getRawQuery()));
            if (!exchange.getRequestMethod().equals("GET") || !query.matches()) {
                send(exchange, 400, Map.of("error", "GET " + ARRIVALS_PATH + "?from=<epoch ms>&to=<epoch ms>"));
                return;
            }
            long from = Long.parseLong(query.group(1));
            try {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("bucketMillis", Arrivals.BUCKET_MILLIS);
                body.put("firstBucketMillis", from / Arrivals.BUCKET_MILLIS * Arrivals.BUCKET_MILLIS);
                body.put("systems", arrivals.counts(from, Long.parseLong(query.group(2))));
                send(exchange, 200, body);
            } catch (IllegalArgumentException e) {
                send(exchange, 400, Map.of("error", e.getMessage()));
            }
        }
    }

    private static void send(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

}
