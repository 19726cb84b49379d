package dev.tongxing.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Guangdong's 粤康码 (envelope-json). */
class EnvelopeJsonContractTest extends SourceContract {

    private static final SourceQuery RESIDENT = new SourceQuery(DocumentType.RESIDENT_ID, "44010619900307123X", "13900000000", "44");
    /** 2022-01-04 23:59:59 and 09:05:00 Beijing time. */
    private static final long VALID = 1641311999000L;
    private static final long UPDATED = 1641258300000L;

    static String record(String idNo, String healthCode, String reason, long validTime) {
        return """
                {"code":0,"msg":"ok","data":{"name":"陈*明","idNo":"%s","healthCode":%s,"reason":"%s",
                 "validTime":%d,"updateTime":%d}}
                """.formatted(idNo, healthCode, reason, validTime, UPDATED);
    }

    @Override
    protected String sourceId() {
        return "guangdong-ykm";
    }

    @Override
    protected SourceQuery traveler() {
        return RESIDENT;
    }

    @Override
    protected ResponseDefinitionBuilder recorded() {
        return json(record("4401**********123X", "0", "", VALID));
    }

    @Override
    protected ResponseDefinitionBuilder wrongCharset() {
        return ok("application/json;charset=utf-8", record("4401**********123X", "0", "", VALID).getBytes(Charset.forName("GBK")));
    }

    @Test
    void green() {
        assertThat(answerTo(recorded())).isEqualTo(new SourceAnswer.HealthCode("guangdong-ykm", HealthCodeColour.GREEN, "",
                Optional.of(Instant.parse("2022-01-04T15:59:59Z")), "44", Instant.parse("2022-01-04T01:05:00Z"), "陈*明",
                Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest
    @CsvSource({"1, YELLOW", "2, RED"})
    void yellowAndRed(String code, HealthCodeColour colour) {
        SourceAnswer.HealthCode answer = (SourceAnswer.HealthCode) answerTo(json(record("4401**********123X", code, "密接", VALID)));
        assertThat(answer.colour()).isEqualTo(colour);
        assertThat(answer.reason()).isEqualTo("密接");
    }

    @Test
    void expiredCode() {
        assertThat(failureOf(json(record("4401**********123X", "0", "", 1641225599000L)))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("data.validTime");
    }

    @Test
    void hongKongMacauPermitHolder() {
        SourceQuery permit = new SourceQuery(DocumentType.HK_MACAU_PERMIT, "H12345678", "", "44");
        assertThat(((SourceAnswer.HealthCode) answerTo(json(record("H1234*678", "0", "", VALID)), permit)).colour())
                .isEqualTo(HealthCodeColour.GREEN);
    }

    @Test
    void unknownTravelerStrangersAndLooseNumbers() {
        assertThat(answerTo(json("{\"code\":404,\"msg\":\"未查询到该人员\",\"data\":null}"))).isInstanceOf(SourceAnswer.NotFound.class);
        assertThat(failureOf(json(record("4401**********124X", "0", "", VALID)))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("data.idNo");
        // Four revealed characters match every resident of the prefecture: not enough to name one traveler.
        assertThat(failureOf(json(record("4401**************", "0", "", VALID)))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("data.idNo").hasMessageContaining("reveals only 4 characters");
        SourceQuery permit = new SourceQuery(DocumentType.HK_MACAU_PERMIT, "H12345678", "", "44");
        assertThat(failureOf(json(record("H1*****78", "0", "", VALID)), permit)).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("data.idNo").hasMessageContaining("reveals only 4 characters");
        assertThat(failureOf(json(record("4401**********123X", "\"0\"", "", VALID)))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("healthCode");
        assertThat(failureOf(json("{\"code\":500,\"msg\":\"系统繁忙\"}"))).isInstanceOf(RejectedAnswer.class).hasMessageContaining("code");
    }
}
