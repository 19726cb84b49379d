package dev.tongxing.adapters.pinyinjson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.adapters.InvalidCodePayload;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.TestSources;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.TestFacts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PinyinJsonFamilyTest {

    static final String ID = "61010219900108123X";
    private final PinyinJsonFamily family = new PinyinJsonFamily(TestSources.CLOCK);
    private final SourceSettings source = TestSources.settings("shaanxi-ymt", PinyinJsonFamily.NAME, SourceKind.HEALTH_CODE, "61");
    private final SourceQuery query = new SourceQuery(DocumentType.RESIDENT_ID, ID, "13800138000", "61");

    static String answer(String colour, String number) {
        return """
                {"zt":"0","xx":"成功","sj":{"xm":"张*三","zjhm":"%s","mys":"%s","yy":"近14天内有中高风险地区旅居史",
                 "yxq":"2022-01-04 23:59:59","gxsj":"2022-01-04 09:00:00",
                 "hsjc":{"jcjg":"yinxing","cysj":"2022-01-03 10:30:00"},
                 "ymjz":{"jzzc":3,"zhjzrq":"2021-11-01","qc":"1"}}}
                """.formatted(number, colour);
    }

    @ParameterizedTest
    @CsvSource({"lvma,GREEN", "huangma,YELLOW", "hongma,RED"})
    void mapsEachColour(String code, HealthCodeColour expected) {
        SourceAnswer answer = family.map(TestSources.json(answer(code, "6101**********123X")), query, source);
        assertThat(answer).isInstanceOfSatisfying(SourceAnswer.HealthCode.class, health -> {
            assertThat(health.colour()).isEqualTo(expected);
            assertThat(health.maskedName()).isEqualTo("张*三");
            assertThat(health.issuingProvince()).isEqualTo("61");
            assertThat(health.updatedAt()).isEqualTo(Instant.parse("2022-01-04T01:00:00Z"));
            assertThat(health.validUntil()).contains(Instant.parse("2022-01-04T15:59:59Z"));
            assertThat(health.test()).hasValueSatisfying(test -> {
                assertThat(test.result()).isEqualTo(TestFacts.Result.NEGATIVE);
                assertThat(test.sampledAt()).isEqualTo(Instant.parse("2022-01-03T02:30:00Z"));
            });
            assertThat(health.vaccination()).contains(new SourceAnswer.Vaccination(3, java.util.Optional.of(LocalDate.of(2021, 11, 1)), true));
        });
    }

    @Test
    void rejectsAnExpiredCode() {
        String expired = answer("lvma", "6101**********123X").replace("2022-01-04 23:59:59", "2022-01-04 09:29:59");
        assertThatThrownBy(() -> family.map(TestSources.json(expired), query, source))
                .isInstanceOf(RejectedAnswer.class)
                .hasMessage("shaanxi-ymt: field 'sj.yxq' says the code expired at 2022-01-04T01:29:59Z");
    }

    @Test
    void unknownTravelerIsNotFound() {
        SourceAnswer answer = family.map(TestSources.json("{\"zt\":\"1\",\"xx\":\"未查询到该人员信息\",\"sj\":null}"), query, source);
        assertThat(answer).isInstanceOf(SourceAnswer.NotFound.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"zt\":\"0\",\"xx\":\"成功\"}|shaanxi-ymt: missing field 'sj'",
            "{\"zt\":\"9\",\"xx\":\"系统繁忙\"}|shaanxi-ymt: field 'zt' has unknown status '9'",
            "{\"zt\":0}|shaanxi-ymt: field 'zt' is not a string",
            "{\"zt\":\"0\",\"zt\":\"1\"}|shaanxi-ymt: body is not well-formed JSON (line 1)",
            "[1,2]|shaanxi-ymt: body is not a JSON object",
            "{\"zt\":\"0\",\"sj\":{\"xm\":\"张*三\",\"zjhm\":\"6101**********123X\",\"mys\":\"lanma\",\"gxsj\":\"2022-01-04 09:00:00\"}}|shaanxi-ymt: field 'sj.mys' has unknown colour 'lanma'",
            "{\"zt\":\"0\",\"sj\":{\"xm\":\"张*三\",\"zjhm\":\"6101**********123X\",\"gxsj\":\"2022-01-04 09:00:00\"}}|shaanxi-ymt: missing field 'mys'",
            "{\"zt\":\"0\",\"sj\":{\"xm\":\"张*三\",\"zjhm\":\"6101**********123X\",\"mys\":\"lvma\",\"gxsj\":\"04/01/2022\"}}|shaanxi-ymt: field 'gxsj' is not a date-time like yyyy-MM-dd HH:mm:ss",
    })
    void rejectsMalformedAnswers(String body, String reason) {
        assertThatThrownBy(() -> family.map(TestSources.json(body), query, source)).isInstanceOf(RejectedAnswer.class).hasMessage(reason);
    }

    @Test
    void rejectsANumberThatMatchesEveryXianResident() {
        assertThatThrownBy(() -> family.map(TestSources.json(answer("lvma", "6101**************")), query, source))
                .isInstanceOf(RejectedAnswer.class)
                .hasMessage("shaanxi-ymt: field 'sj.zjhm' reveals only 4 characters of the document number; at least 8 are needed to tell travelers apart");
    }

    @Test
    void rejectsAnAnswerAboutAnotherTraveler() {
        assertThatThrownBy(() -> family.map(TestSources.json(answer("lvma", "6101**********9999")), query, source))
                .isInstanceOf(RejectedAnswer.class)
                .hasMessage("shaanxi-ymt: field 'sj.zjhm' names a different traveler than the one asked for")
                .message().doesNotContain(ID);
    }

    @Test
    void rejectsAnHtmlErrorPageServedAs200() {
        assertThatThrownBy(() -> family.map(TestSources.reply(200, "text/html", "<html>502 Bad Gateway</html>", StandardCharsets.UTF_8), query, source))
                .hasMessage("shaanxi-ymt: content type 'text/html' (expected application/json)");
    }

    @Test
    void requestCarriesTheNumberInTheBodyOnly() {
        var request = family.request(query, source);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"zjlx\":\"01\",\"zjhm\":\"" + ID + "\",\"sjh\":\"13800138000\"}");
    }

    @Test
    void readsAFreshQrCodeAndRefusesAnExpiredOne() {
        Instant now = Instant.parse("2022-01-04T01:00:00Z");
        String payload = PinyinJsonFamily.encodeCode("SXYMT1:", DocumentType.RESIDENT_ID, ID, "13800138000", now.minusSeconds(30));
        assertThat(family.readCode(payload, source, now)).hasValueSatisfying(code -> {
            assertThat(code.traveler().documentNumber()).isEqualTo(ID);
            assertThat(code.traveler().phoneNumber()).isEqualTo("13800138000");
            assertThat(code.traveler().province()).isEqualTo("61");
        });
        String old = PinyinJsonFamily.encodeCode("SXYMT1:", DocumentType.RESIDENT_ID, ID, "", now.minusSeconds(600));
        assertThatThrownBy(() -> family.readCode(old, source, now)).isInstanceOf(InvalidCodePayload.class).hasMessageContaining("code expired");
        assertThatThrownBy(() -> family.readCode("SXYMT1:%%%", source, now)).isInstanceOf(InvalidCodePayload.class).hasMessageContaining("base64url");
        assertThat(family.readCode("OTHER:abc", source, now)).isEmpty();
    }
}
