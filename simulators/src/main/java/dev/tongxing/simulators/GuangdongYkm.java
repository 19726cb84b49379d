package dev.tongxing.simulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** Guangdong's 粤康码 as the {@code envelope-json} family expects it: numeric colours in a {code, msg, data} envelope. */
final class GuangdongYkm extends SimulatedProvince {

    static final String PATH = "/guangdong/ykm/api/v2/healthcode";
    private static final ObjectMapper JSON = new ObjectMapper();

    GuangdongYkm(SimulatedPopulation population, Clock clock, Runnable latency) {
        super("44", population, clock, latency);
    }

    @Override
    Reply answer(byte[] request) {
        try {
            JsonNode query = JSON.readTree(request);
            String number = query == null ? "" : query.path("idNo").asText("");
            Map<String, Object> reply = new LinkedHashMap<>();
            var traveler = resident(number);
            if (traveler.isEmpty()) {
                reply.put("code", 404);
                reply.put("msg", "未查询到该人员");
                reply.put("data", null);
            } else {
                SimulatedTraveler t = traveler.get();
                long now = clock.millis();
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("name", t.maskedName());
                data.put("idNo", maskNumber(number));
                data.put("healthCode", switch (t.healthColour()) {
                    case "hongma" -> 2;
                    case "huangma" -> 1;
                    default -> 0;
                });
                data.put("reason", t.reason());
                data.put("validTime", LocalDate.now(clock.withZone(BEIJING_TIME)).plusDays(1).atStartOfDay(BEIJING_TIME)
                        .toInstant().toEpochMilli() - 1000);
                data.put("updateTime", now - (t.index() % 600) * 60_000L);
                reply.put("code", 0);
                reply.put("msg", "ok");
                reply.put("data", data);
            }
            return new Reply(200, "application/json;charset=UTF-8", JSON.writeValueAsBytes(reply));
        } catch (IOException e) {
            return new Reply(200, "application/json;charset=UTF-8", "{\"code\":400,\"msg\":\"参数错误\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
