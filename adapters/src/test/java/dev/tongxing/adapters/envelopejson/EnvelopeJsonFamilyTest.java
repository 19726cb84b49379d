package dev.tongxing.adapters.envelopejson;

import static dev.tongxing.adapters.TestSources.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.TestSources;
import dev.tongxing.adapters.UpstreamReply;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeJsonFamilyTest {

    private static final String NUMBER = "44010619900307123X";
    private static final SourceSettings SOURCE = TestSources.settings("guangdong-ykm", "envelope-json", "44", Map.of());
    private static final SourceQuery QUERY = TestSources.resident(NUMBER);
    private static final long VALID = Instant.parse("2022-01-04T15:59:59Z").toEpochMilli();
    private static final long UPDATED = Instant.parse("2022-01-04T01:00:00Z").toEpochMilli();

    private final EnvelopeJsonFamily family = new EnvelopeJsonFamily(TestSources.CLOCK);

    static String answer(String healthCode, String validTime) {
        return """
                {"code":0,"msg":"ok","data":{"name":"陈*明","idNo":"4401**********123X","healthCode":%s,
                 "reason":"近14天内有中高风险地区旅居史","validTime":%s,"updateTime":%d}}
                """.formatted(healthCode, validTime, UPDATED);
    }

    private SourceAnswer map(String body) {
        return family.map(json(body), QUERY, SOURCE);
    }

    @ParameterizedTest
    @CsvSource({"0, GREEN", "1, YELLOW", "2, RED"})
    void mapsNumericColours(String code, HealthCodeColour colour) {
        SourceAnswer.HealthCode answer = (SourceAnswer.HealthCode) map(answer(code, Long.toString(VALID)));
        assertThat(answer.colour()).isEqualTo(colour);
        assertThat(answer.validUntil()).contains(Instant.ofEpochMilli(VALID));
        assertThat(answer.updatedAt()).isEqualTo(Instant.ofEpochMilli(UPDATED));
        assertThat(answer.maskedName()).isEqualTo("陈*明");
        assertThat(answer.issuingProvince()).isEqualTo("44");
    }

    @Test
    void code404IsAnUnknownTraveler() {
        assertThat(map("{\"code\":404,\"msg\":\"未查询到该人员\",\"data\":null}")).isInstanceOf(SourceAnswer.NotFound.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "-1", "\"0\"", "0.5", "0.0", "1e0", "true", "null"})
    void rejectsAnythingButTheThreeIntegerColours(String healthCode) {
        assertThatThrownBy(() -> map(answer(healthCode, Long.toString(VALID))))
                .isInstanceOf(RejectedAnswer.class)
                .hasMessageStartingWith("guangdong-ykm: ")
                .hasMessageContaining("healthCode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"code\":500,\"msg\":\"系统繁忙\"}", "{\"code\":\"0\",\"msg\":\"ok\",\"data\":{}}", "{\"msg\":\"ok\"}",
            "{\"code\":0,\"msg\":\"ok\"}", "{\"code\":0,\"code\":0}", "[]"})
    void rejectsBrokenEnvelopes(String body) {
        assertThatThrownBy(() -> map(body)).isInstanceOf(RejectedAnswer.class).hasMessageStartingWith("guangdong-ykm: ");
    }

    @Test
    void rejectsAnExpiredCode() {
        long expired = TestSources.NOW.minusSeconds(1).toEpochMilli();
        assertThatThrownBy(() -> map(answer("0", Long.toString(expired))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("data.validTime").hasMessageContaining("expired");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1641311999000\"", "1641311999000.0", "1641311999", "null"})
    void rejectsValidTimeThatIsNotEpochMillis(String validTime) {
        assertThatThrownBy(() -> map(answer("0", validTime))).isInstanceOf(RejectedAnswer.class).hasMessageContaining("validTime");
    }

    @Test
    void rejectsAnotherTravelersRecordWithoutQuotingTheNumber() {
        SourceQuery other = TestSources.resident("44010619900307124X");
        assertThatThrownBy(() -> family.map(json(answer("0", Long.toString(VALID))), other, SOURCE))
                .isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("data.idNo")
                .hasMessageNotContaining("44010619900307124X");
    }

    @Test
    void rejectsWrongContentTypeOversizeAndInvalidUtf8() {
        byte[] body = answer("0", Long.toString(VALID)).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> family.map(new UpstreamReply(200, "text/html", body), QUERY, SOURCE))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("content type");
        assertThatThrownBy(() -> family.map(new UpstreamReply(200, "application/json", new byte[64 * 1024 + 1]), QUERY, SOURCE))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("exceeds the limit");
        assertThatThrownBy(() -> family.map(new UpstreamReply(200, "application/json", answer("0", Long.toString(VALID))
                        .getBytes(java.nio.charset.Charset.forName("GBK"))), QUERY, SOURCE))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void requestsByDocumentTypeCode() {
        String body = new String(family.request(new SourceQuery(DocumentType.HK_MACAU_PERMIT, "H12345678", "", "44"), SOURCE).body(),
                StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"idType\":\"4\",\"idNo\":\"H12345678\"}");
    }
}
