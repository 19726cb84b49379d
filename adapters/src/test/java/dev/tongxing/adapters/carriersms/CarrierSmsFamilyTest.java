package dev.tongxing.adapters.carriersms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.StrictJson;
import dev.tongxing.adapters.TestSources;
import dev.tongxing.adapters.UpstreamReply;
import dev.tongxing.adapters.UpstreamRequest;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.TravelCardColour;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CarrierSmsFamilyTest {

    private final CarrierSmsFamily family = new CarrierSmsFamily(TestSources.CLOCK);
    private final SourceSettings source = TestSources.settings("travel-card-sms", CarrierSmsFamily.NAME, SourceKind.TRAVEL_CARD, "00");
    private final SourceQuery query = new SourceQuery(DocumentType.RESIDENT_ID, "61010219900108123X", "13800130000", "61");

    static String sms(String phone, int days, String cities, String colour) {
        return "【通信行程卡】尊敬的用户：您的手机号" + phone + "于前" + days + "天内到达或途经：" + cities
                + "。结果包含您在前" + days + "天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：" + colour + "。";
    }

    static final String GREEN = sms("138****0000", 14, "陕西省西安市*，广东省深圳市", "绿色");
    static final String NO_RECORD = "【通信行程卡】尊敬的用户：您的手机号138****0000未查询到前14天内的到访地信息。";

    private static UpstreamReply text(String body) {
        return TestSources.reply(200, "text/plain; charset=UTF-8", body, StandardCharsets.UTF_8);
    }

    private SourceAnswer map(String body) {
        return family.map(text(body), query, source);
    }

    @Test
    void asksTheGatewayWithTheCommand() throws Exception {
        UpstreamRequest request = family.request(query, source);
        JsonNode body = StrictJson.mapper().readTree(request.body());
        assertThat(body.get("msisdn").textValue()).isEqualTo("13800130000");
        assertThat(body.get("command").textValue()).isEqualTo("CXMYD");
        assertThat(body.size()).isEqualTo(2);
        assertThat(request.method()).isEqualTo("POST");
    }

    @Test
    void readsTheExampleMessage() {
        assertThat(map(GREEN)).isEqualTo(new SourceAnswer.TravelCard("travel-card-sms", TravelCardColour.TRAVEL_GREEN,
                java.util.List.of(new SourceAnswer.City("陕西省西安市", true), new SourceAnswer.City("广东省深圳市", false)),
                14, "138****0000", TestSources.NOW));
    }

    @ParameterizedTest
    @CsvSource({"绿色,TRAVEL_GREEN", "黄色,TRAVEL_YELLOW", "橙色,TRAVEL_ORANGE", "红色,TRAVEL_RED"})
    void mapsEachColour(String wire, TravelCardColour colour) {
        assertThat(((SourceAnswer.TravelCard) map(sms("138****0000", 14, "北京市", wire))).colour()).isEqualTo(colour);
    }

    @Test
    void citiesMaySeparateWithEnumerationCommaAndWideStar() {
        SourceAnswer.TravelCard card = (SourceAnswer.TravelCard) map(sms("138****0000", 7, "陕西省西安市、北京市＊、上海市", "黄色"));
        assertThat(card.cities()).containsExactly(new SourceAnswer.City("陕西省西安市", false), new SourceAnswer.City("北京市", true),
                new SourceAnswer.City("上海市", false));
        assertThat(card.windowDays()).isEqualTo(7);
    }

    @Test
    void noRecordIsNotFound() {
        assertThat(map(NO_RECORD)).isInstanceOf(SourceAnswer.NotFound.class);
    }

    @Test
    void gbkDeclaredAndSentIsRead() {
        UpstreamReply gbk = TestSources.reply(200, "text/plain; charset=GBK", GREEN, Charset.forName("GBK"));
        assertThat(family.map(gbk, query, source)).isInstanceOf(SourceAnswer.TravelCard.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // another subscriber's message, or no identifying digits at all
            "【通信行程卡】尊敬的用户：您的手机号139****0000于前14天内到达或途经：北京市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。|names a different phone number",
            "【通信行程卡】尊敬的用户：您的手机号139****0000未查询到前14天内的到访地信息。|names a different phone number",
            "【通信行程卡】尊敬的用户：您的手机号13800130000于前14天内到达或途经：北京市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。|'masked phone number'",
            // colours that are not the card's
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿码。|unknown colour '绿码'",
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：。|unknown colour ''",
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色|'colour'",
            // windows
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前31天内到达或途经：北京市。结果包含您在前31天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。|outside 1..30",
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前0天内到达或途经：北京市。结果包含您在前0天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。|'window days'",
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市。结果包含您在前7天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。|two different windows",
            // cities
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。|'cities[0]'",
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市，，上海市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。|'cities[1]'",
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市, 上海市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。|'cities[0]'",
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市**。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。|'cities[0]'",
            // framing
            "您的行程卡颜色为：绿色。|'signature'",
            "【通信行程卡】您的手机号138****0000于前14天内到达或途经：北京市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。|'greeting'",
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市。您的行程卡颜色为：绿色。|'explanation sentence'",
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。您的行程卡颜色为：红色。|after its last sentence",
            "【通信行程卡】尊敬的用户：您的手机号138****0000未查询到前14天内的到访地信息。您的行程卡颜色为：绿色。|after its last sentence",
    })
    void rejectsWhatIsNotTheCarriersMessage(String body, String reason) {
        assertThatThrownBy(() -> map(body)).isInstanceOf(RejectedAnswer.class)
                .hasMessageStartingWith("travel-card-sms: ").hasMessageContaining(reason);
    }

    @Test
    void rejectsTrailingLineBreakHtmlAndJson() {
        assertThatThrownBy(() -> map(GREEN + "\n")).isInstanceOf(RejectedAnswer.class).hasMessageContaining("after its last sentence");
        assertThatThrownBy(() -> family.map(TestSources.reply(200, "text/html; charset=UTF-8", GREEN, StandardCharsets.UTF_8), query, source))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("content type 'text/html'");
        assertThatThrownBy(() -> family.map(TestSources.json("{\"color\":\"green\"}"), query, source))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("content type 'application/json'");
        assertThatThrownBy(() -> family.map(TestSources.reply(500, "text/plain; charset=UTF-8", GREEN, StandardCharsets.UTF_8), query, source))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("HTTP status 500");
    }

    @Test
    void rejectsTooManyCities() {
        String cities = String.join("，", java.util.Collections.nCopies(201, "北京市"));
        assertThatThrownBy(() -> map(sms("138****0000", 14, cities, "绿色"))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("more than 200");
    }
}
