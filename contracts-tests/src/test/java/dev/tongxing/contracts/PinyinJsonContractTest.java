package dev.tongxing.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.TestFacts;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Shaanxi's one-code platform (pinyin-json). */
class PinyinJsonContractTest extends SourceContract {

    private static final SourceQuery RESIDENT = new SourceQuery(DocumentType.RESIDENT_ID, "610102199001011234", "13800000000", "61");

    static String record(String zjhm, String colour, String reason, String validUntil) {
        return """
                {"zt":"0","xx":"成功","sj":{"xm":"王*","zjhm":"%s","mys":"%s","yy":"%s",
                 "yxq":"%s","gxsj":"2022-01-04 09:12:00",
                 "hsjc":{"jcjg":"yinxing","cysj":"2022-01-03 15:20:00"},
                 "ymjz":{"jzzc":3,"zhjzrq":"2021-11-20","qc":"1"}}}
                """.formatted(zjhm, colour, reason, validUntil);
    }

    @Override
    protected String sourceId() {
        return "shaanxi-ymt";
    }

    @Override
    protected SourceQuery traveler() {
        return RESIDENT;
    }

    @Override
    protected ResponseDefinitionBuilder recorded() {
        return json(record("6101**********1234", "lvma", "", "2022-01-04 23:59:59"));
    }

    @Override
    protected ResponseDefinitionBuilder wrongCharset() {
        return ok("application/json; charset=UTF-8", record("6101**********1234", "lvma", "", "2022-01-04 23:59:59")
                .getBytes(Charset.forName("GBK")));
    }

    @Test
    void greenWithTestAndVaccination() {
        assertThat(answerTo(recorded())).isEqualTo(new SourceAnswer.HealthCode("shaanxi-ymt", HealthCodeColour.GREEN, "",
                Optional.of(Instant.parse("2022-01-04T15:59:59Z")), "61", Instant.parse("2022-01-04T01:12:00Z"), "王*",
                Optional.of(new SourceAnswer.NucleicAcidTest(TestFacts.Result.NEGATIVE, Instant.parse("2022-01-03T07:20:00Z"))),
                Optional.of(new SourceAnswer.Vaccination(3, Optional.of(LocalDate.of(2021, 11, 20)), true))));
    }

    @Test
    void yellowAndRed() {
        assertThat(((SourceAnswer.HealthCode) answerTo(json(record("6101**********1234", "huangma", "近14天内有中高风险地区旅居史",
                "2022-01-04 23:59:59")))).colour()).isEqualTo(HealthCodeColour.YELLOW);
        SourceAnswer.HealthCode red = (SourceAnswer.HealthCode) answerTo(json(record("6101**********1234", "hongma",
                "确诊或疑似病例密切接触者", "2022-01-04 23:59:59")));
        assertThat(red.colour()).isEqualTo(HealthCodeColour.RED);
        assertThat(red.reason()).isEqualTo("确诊或疑似病例密切接触者");
    }

    @Test
    void expiredCodeIsRejected() {
        assertThat(failureOf(json(record("6101**********1234", "lvma", "", "2022-01-03 23:59:59"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("field 'sj.yxq' says the code expired at 2022-01-03T15:59:59Z");
    }

    @Test
    void passportHolder() {
        SourceQuery passport = new SourceQuery(DocumentType.PASSPORT, "E12345678", "", "61");
        assertThat(((SourceAnswer.HealthCode) answerTo(json(record("E1234*678", "lvma", "", "2022-01-04 23:59:59")), passport))
                .colour()).isEqualTo(HealthCodeColour.GREEN);
    }

    @Test
    void unknownTravelerAndStrangers() {
        assertThat(answerTo(json("{\"zt\":\"1\",\"xx\":\"未查询到该人员信息\",\"sj\":null}"))).isInstanceOf(SourceAnswer.NotFound.class);
        assertThat(failureOf(json(record("6101**********9999", "lvma", "", "2022-01-04 23:59:59"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("sj.zjhm");
        // "6101" and fourteen stars is every Xi'an resident, not this traveler.
        assertThat(failureOf(json(record("6101**************", "lvma", "", "2022-01-04 23:59:59"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("sj.zjhm").hasMessageContaining("reveals only 4 characters");
        assertThat(failureOf(json(record("**************1234", "lvma", "", "2022-01-04 23:59:59"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("sj.zjhm").hasMessageContaining("reveals only 4 characters");
        assertThat(failureOf(json(record("6101**********1234", "lanma", "", "2022-01-04 23:59:59"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("sj.mys");
    }
}
