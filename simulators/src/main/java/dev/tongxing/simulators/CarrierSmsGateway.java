package dev.tongxing.simulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * A carrier's SMS gateway as the {@code carrier-sms} family expects it: {@code CXMYD} for a phone
 * number, answered with the travel-card text message that phone would receive (or the "no record"
 * message for numbers the population does not hold).
 */
final class CarrierSmsGateway extends SimulatedProvince {

    static final String PATH = "/carrier/sms/api/v1/query";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "text/plain; charset=UTF-8";
    private static final Map<String, String> COLOURS = Map.of("green", "绿色", "yellow", "黄色", "orange", "橙色", "red", "红色");

    CarrierSmsGateway(SimulatedPopulation population, Clock clock, Runnable latency) {
        super("00", population, clock, latency);
    }

    @Override
    Reply answer(byte[] request) {
        String phone;
        try {
            JsonNode query = JSON.readTree(request);
            if (query == null || !query.path("command").asText("").equals("CXMYD") || !query.path("msisdn").asText("").matches("1\\d{10}")) {
                return text(400, "【中国移动】您发送的指令有误，请发送CXMYD查询行程卡。");
            }
            phone = query.path("msisdn").asText();
        } catch (IOException e) {
            return text(400, "request is not JSON");
        }
        String masked = phone.substring(0, 3) + "****" + phone.substring(7);
        var traveler = population.byPhone(phone);
        if (traveler.isEmpty()) {
            return text(200, "【通信行程卡】尊敬的用户：您的手机号" + masked + "未查询到前14天内的到访地信息。");
        }
        SimulatedTraveler t = traveler.get();
        return text(200, "【通信行程卡】尊敬的用户：您的手机号" + masked + "于前14天内到达或途经：" + String.join("，", t.cities())
                + "。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：" + COLOURS.get(t.cardColour()) + "。");
    }

    private static Reply text(int status, String body) {
        return new Reply(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }
}
