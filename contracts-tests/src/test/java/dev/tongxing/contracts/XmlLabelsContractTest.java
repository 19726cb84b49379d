package dev.tongxing.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Beijing's 北京健康宝 (xml-labels). */
class XmlLabelsContractTest extends SourceContract {

    private static final Charset GBK = Charset.forName("GBK");
    private static final SourceQuery RESIDENT = new SourceQuery(DocumentType.RESIDENT_ID, "110105198512240017", "", "11");

    static String record(String certType, String certNo, String status, String note, String validTo) {
        return """
                <?xml version="1.0" encoding="GBK"?>
                <response>
                  <resultCode>0</resultCode>
                  <resultMsg>查询成功</resultMsg>
                  <record>
                    <name>张*</name>
                    <certType>%s</certType>
                    <certNo>%s</certNo>
                    <status>%s</status>
                    <statusNote>%s</statusNote>
                    <updateTime>2022年01月04日 09:00</updateTime>
                    <validTo>%s</validTo>
                  </record>
                </response>
                """.formatted(certType, certNo, status, note, validTo);
    }

    static ResponseDefinitionBuilder gbk(String xml) {
        return ok("application/xml; charset=GBK", xml.getBytes(GBK));
    }

    @Override
    protected String sourceId() {
        return "beijing-jkb";
    }

    @Override
    protected SourceQuery traveler() {
        return RESIDENT;
    }

    @Override
    protected ResponseDefinitionBuilder recorded() {
        return gbk(record("01", "1101**********0017", "未见异常", "", "2022年01月04日 23:59"));
    }

    @Override
    protected ResponseDefinitionBuilder wrongCharset() {
        // Header says UTF-8, the declaration says GBK, the bytes are GBK.
        return ok("text/xml; charset=UTF-8", record("01", "1101**********0017", "未见异常", "", "2022年01月04日 23:59").getBytes(GBK));
    }

    @Test
    void nothingAbnormalIsGreen() {
        assertThat(answerTo(recorded())).isEqualTo(new SourceAnswer.HealthCode("beijing-jkb", HealthCodeColour.GREEN, "",
                Optional.of(Instant.parse("2022-01-04T15:59:00Z")), "11", Instant.parse("2022-01-04T01:00:00Z"), "张*",
                Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest
    @CsvSource({"弹窗, 请于48小时内完成核酸检测, YELLOW, 弹窗: 请于48小时内完成核酸检测", "居家观察, '', YELLOW, 居家观察",
            "集中隔离, 密切接触者, RED, 集中隔离: 密切接触者", "红码, '', RED, 红码"})
    void labels(String label, String note, HealthCodeColour colour, String reason) {
        SourceAnswer.HealthCode answer = (SourceAnswer.HealthCode) answerTo(gbk(record("01", "1101**********0017", label, note,
                "2022年01月04日 23:59")));
        assertThat(answer.colour()).isEqualTo(colour);
        assertThat(answer.reason()).isEqualTo(reason);
    }

    @Test
    void utf8WithoutHeaderCharset() {
        String xml = record("01", "1101**********0017", "未见异常", "", "2022年01月04日 23:59").replace("GBK", "UTF-8");
        assertThat(((SourceAnswer.HealthCode) answerTo(ok("application/xml", xml.getBytes(StandardCharsets.UTF_8)))).colour())
                .isEqualTo(HealthCodeColour.GREEN);
    }

    @Test
    void expiredStatus() {
        assertThat(failureOf(gbk(record("01", "1101**********0017", "未见异常", "", "2022年01月03日 23:59"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("record.validTo");
    }

    @Test
    void passportHolder() {
        SourceQuery passport = new SourceQuery(DocumentType.PASSPORT, "E12345678", "", "11");
        assertThat(((SourceAnswer.HealthCode) answerTo(gbk(record("02", "E1234*678", "弹窗", "", "2022年01月04日 23:59")), passport))
                .colour()).isEqualTo(HealthCodeColour.YELLOW);
    }

    @Test
    void unknownTravelerStrangersAndEntities() {
        assertThat(answerTo(gbk("<?xml version=\"1.0\" encoding=\"GBK\"?><response><resultCode>1</resultCode>"
                + "<resultMsg>未查询到</resultMsg></response>"))).isInstanceOf(SourceAnswer.NotFound.class);
        assertThat(failureOf(gbk(record("01", "1101**********0018", "未见异常", "", "2022年01月04日 23:59"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("record.certNo");
        assertThat(failureOf(gbk(record("01", "1101**************", "未见异常", "", "2022年01月04日 23:59"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("record.certNo").hasMessageContaining("reveals only 4 characters");
        assertThat(failureOf(gbk(record("01", "1101**********0017", "绿码", "", "2022年01月04日 23:59"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("record.status");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"http://127.0.0.1:"
                + harness.wireMock().port() + "/beijing-jkb/leak\">]><response><resultCode>&x;</resultCode></response>";
        assertThat(failureOf(ok("application/xml", xxe.getBytes(StandardCharsets.UTF_8)))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("document type declarations are refused");
    }
}
