package dev.tongxing.contracts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.TravelCardColour;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The travel card by the carriers' SMS channel (carrier-sms): one text message per query, as a phone shows it. */
class CarrierSmsContractTest extends SourceContract {

    private static final SourceQuery PHONE = new SourceQuery(DocumentType.RESIDENT_ID, "610102199001011234", "13800130000", "61");

    static String sms(String phone, String cities, String colour) {
        return "【通信行程卡】尊敬的用户：您的手机号" + phone + "于前14天内到达或途经：" + cities
                + "。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：" + colour + "。";
    }

    static ResponseDefinitionBuilder text(String body) {
        return ok("text/plain; charset=UTF-8", body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected String sourceId() {
        return "travel-card-sms";
    }

    @Override
    protected SourceQuery traveler() {
        return PHONE;
    }

    @Override
    protected ResponseDefinitionBuilder recorded() {
        return text(sms("138****0000", "陕西省西安市*，广东省深圳市", "绿色"));
    }

    @Override
    protected ResponseDefinitionBuilder wrongCharset() {
        return ok("text/plain; charset=UTF-8", sms("138****0000", "陕西省西安市", "绿色").getBytes(Charset.forName("GBK")));
    }

    @Test
    void theRecordedMessage() {
        assertThat(answerTo(recorded())).isEqualTo(new SourceAnswer.TravelCard("travel-card-sms", TravelCardColour.TRAVEL_GREEN,
                List.of(new SourceAnswer.City("陕西省西安市", true), new SourceAnswer.City("广东省深圳市", false)), 14, "138****0000",
                SourceHarness.NOW));
    }

    @ParameterizedTest
    @CsvSource({"黄色, TRAVEL_YELLOW", "橙色, TRAVEL_ORANGE", "红色, TRAVEL_RED"})
    void otherColours(String wire, TravelCardColour colour) {
        assertThat(((SourceAnswer.TravelCard) answerTo(text(sms("138****0000", "北京市", wire)))).colour()).isEqualTo(colour);
    }

    @Test
    void noRecord() {
        assertThat(answerTo(text("【通信行程卡】尊敬的用户：您的手机号138****0000未查询到前14天内的到访地信息。")))
                .isInstanceOf(SourceAnswer.NotFound.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // another subscriber's message delivered to this query
            "【通信行程卡】尊敬的用户：您的手机号139****0000于前14天内到达或途经：北京市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。|different phone number",
            // the health code's words, not the card's
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿码。|unknown colour",
            // the gateway's own chatter instead of the card
            "【中国移动】您发送的指令有误，请发送CXMYD查询行程卡。|'signature'",
            "【通信行程卡】系统繁忙，请稍后再试。|'greeting'",
            // two messages glued together: which colour counts? neither
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：红色。|after its last sentence",
            // a colour smuggled into a city list
            "【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：北京市：绿色。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：红色。|'cities[0]'",
            // JSON where text was promised
            "{\"color\":\"green\"}|'signature'",
    })
    void hostileMessages(String body, String reason) {
        assertThat(failureOf(text(body))).isInstanceOf(RejectedAnswer.class).hasMessageStartingWith("travel-card-sms: ").hasMessageContaining(reason);
    }

    @Test
    void jsonContentTypeIsRefused() {
        assertThat(failureOf(json("{\"code\":\"0\"}"))).isInstanceOf(RejectedAnswer.class).hasMessageContaining("content type 'application/json'");
        assertThat(failureOf(aResponse().withStatus(200).withBody(sms("138****0000", "北京市", "绿色")))).isInstanceOf(RejectedAnswer.class);
    }

    /**
     * WireMock needs longer than the source's 500 ms to start sending a 10 MB {@code text/*} body
     * (the call then fails as a timeout, before any byte is read), so the size limit is exercised
     * with the same bytes under a non-text media type: the limit is checked before the media type.
     */
    @Test
    @Override
    void tenMegabyteBody() {
        byte[] body = java.util.Arrays.copyOf(sms("138****0000", "北京市", "绿色").getBytes(StandardCharsets.UTF_8), 10 * 1024 * 1024);
        assertThat(failureOf(ok("application/octet-stream", body))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("exceeds the limit of " + SourceHarness.MAX_BODY);
    }
}
