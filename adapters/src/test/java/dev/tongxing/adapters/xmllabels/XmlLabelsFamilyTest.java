package dev.tongxing.adapters.xmllabels;

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
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class XmlLabelsFamilyTest {

    private static final Charset GBK = Charset.forName("GBK");
    private static final String NUMBER = "110105198512240017";
    private static final SourceSettings SOURCE = TestSources.settings("beijing-jkb", "xml-labels", "11", Map.of());
    private static final SourceQuery QUERY = TestSources.resident(NUMBER);

    private final XmlLabelsFamily family = new XmlLabelsFamily(TestSources.CLOCK);

    static String answer(String encoding, String certType, String certNo, String status, String note, String validTo) {
        return """
                <?xml version="1.0" encoding="%s"?>
                <response>
                  <resultCode>0</resultCode>
                  <resultMsg>查询成功</resultMsg>
                  <record>
                    <name>欧阳**</name>
                    <certType>%s</certType>
                    <certNo>%s</certNo>
                    <status>%s</status>
                    <statusNote>%s</statusNote>
                    <updateTime>2022年01月04日 09:00</updateTime>
                    <validTo>%s</validTo>
                  </record>
                </response>
                """.formatted(encoding, certType, certNo, status, note, validTo);
    }

    static String answer(String status, String note) {
        return answer("GBK", "01", "1101**********0017", status, note, "2022年01月04日 23:59");
    }

    private SourceAnswer map(String contentType, byte[] body) {
        return family.map(new UpstreamReply(200, contentType, body), QUERY, SOURCE);
    }

    private SourceAnswer mapGbk(String xml) {
        return map("application/xml; charset=GBK", xml.getBytes(GBK));
    }

    @ParameterizedTest
    @CsvSource({"未见异常, '', GREEN, ''", "弹窗, 请48小时内完成核酸检测, YELLOW, 弹窗: 请48小时内完成核酸检测",
            "居家观察, '', YELLOW, 居家观察", "集中隔离, 密接, RED, 集中隔离: 密接", "红码, '', RED, 红码"})
    void mapsLabels(String label, String note, HealthCodeColour colour, String reason) {
        SourceAnswer.HealthCode answer = (SourceAnswer.HealthCode) mapGbk(answer(label, note));
        assertThat(answer.colour()).isEqualTo(colour);
        assertThat(answer.reason()).isEqualTo(reason);
        assertThat(answer.maskedName()).isEqualTo("欧阳**");
        assertThat(answer.updatedAt()).isEqualTo(Instant.parse("2022-01-04T01:00:00Z"));
        assertThat(answer.validUntil()).contains(Instant.parse("2022-01-04T15:59:00Z"));
    }

    @Test
    void readsUtf8FromTheDeclarationAloneAndGbkFromTheHeaderAlone() {
        String utf8 = answer("UTF-8", "01", "1101**********0017", "未见异常", "", "2022年01月04日 23:59");
        assertThat(((SourceAnswer.HealthCode) map("text/xml", utf8.getBytes(StandardCharsets.UTF_8))).colour()).isEqualTo(HealthCodeColour.GREEN);
        String undeclared = utf8.replace(" encoding=\"UTF-8\"", "");
        assertThat(((SourceAnswer.HealthCode) map("application/xml; charset=gbk", undeclared.getBytes(GBK))).colour())
                .isEqualTo(HealthCodeColour.GREEN);
    }

    @Test
    void rejectsDisagreeingOrWrongCharsets() {
        assertThatThrownBy(() -> map("application/xml; charset=UTF-8", answer("未见异常", "").getBytes(GBK)))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("XML declaration says GBK");
        String utf8Declared = answer("UTF-8", "01", "1101**********0017", "未见异常", "", "2022年01月04日 23:59");
        assertThatThrownBy(() -> map("application/xml", utf8Declared.getBytes(GBK)))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("not valid UTF-8");
        assertThatThrownBy(() -> map("application/xml; charset=ISO-8859-1", "<response/>".getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("charset ISO-8859-1");
    }

    @Test
    void unknownTraveler() {
        String body = "<?xml version=\"1.0\" encoding=\"GBK\"?><response><resultCode>1</resultCode><resultMsg>未查询到</resultMsg></response>";
        assertThat(mapGbk(body)).isInstanceOf(SourceAnswer.NotFound.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"绿码", "未见异常 ", "弹窗1", "", "GREEN"})
    void rejectsUnknownLabels(String label) {
        String xml = answer(label, "");
        if (label.equals("未见异常 ")) {
            // Surrounding blanks are layout, not a different label.
            assertThat(((SourceAnswer.HealthCode) mapGbk(xml)).colour()).isEqualTo(HealthCodeColour.GREEN);
            return;
        }
        assertThatThrownBy(() -> mapGbk(xml)).isInstanceOf(RejectedAnswer.class).hasMessageStartingWith("beijing-jkb: ")
                .hasMessageContaining("record.status");
    }

    @Test
    void rejectsDuplicatedStatusMissingFieldsAndBadDates() {
        assertThatThrownBy(() -> mapGbk(answer("未见异常", "").replace("<status>未见异常</status>", "<status>红码</status><status>未见异常</status>")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("more than once");
        assertThatThrownBy(() -> mapGbk(answer("未见异常", "").replace("<name>欧阳**</name>", "")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("record.name");
        assertThatThrownBy(() -> mapGbk(answer("GBK", "01", "1101**********0017", "未见异常", "", "2022-01-04 23:59")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("record.validTo");
        assertThatThrownBy(() -> mapGbk(answer("GBK", "01", "1101**********0017", "未见异常", "", "2022年02月30日 23:59")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("record.validTo");
        assertThatThrownBy(() -> mapGbk(answer("未见异常", "").replace("<resultCode>0</resultCode>", "<resultCode>9</resultCode>")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("resultCode");
    }

    @Test
    void rejectsAnExpiredStatus() {
        assertThatThrownBy(() -> mapGbk(answer("GBK", "01", "1101**********0017", "未见异常", "", "2022年01月04日 09:30")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("record.validTo").hasMessageContaining("expired");
    }

    @Test
    void rejectsAnotherTravelerOrDocumentType() {
        assertThatThrownBy(() -> mapGbk(answer("GBK", "01", "1101**********0018", "未见异常", "", "2022年01月04日 23:59")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("different traveler").hasMessageNotContaining(NUMBER);
        assertThatThrownBy(() -> mapGbk(answer("GBK", "02", "1101**********0017", "未见异常", "", "2022年01月04日 23:59")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("record.certType");
    }

    @Test
    void passportAndPermitHolders() {
        SourceQuery passport = new SourceQuery(DocumentType.PASSPORT, "E12345678", "", "11");
        String xml = answer("GBK", "02", "E1234*678", "弹窗", "", "2022年01月04日 23:59");
        SourceAnswer.HealthCode answer = (SourceAnswer.HealthCode) family.map(
                new UpstreamReply(200, "application/xml", xml.getBytes(GBK)), passport, SOURCE);
        assertThat(answer.colour()).isEqualTo(HealthCodeColour.YELLOW);
        assertThat(answer.reason()).isEqualTo("弹窗");
        String request = new String(family.request(new SourceQuery(DocumentType.HK_MACAU_PERMIT, "H1234567<", "", "11"), SOURCE).body(),
                StandardCharsets.UTF_8);
        assertThat(request).contains("<certType>06</certType><certNo>H1234567&lt;</certNo>");
    }

    @Test
    void externalEntitiesAreNeverResolved(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-MARKER");
        String xxe = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE response [ <!ENTITY xxe SYSTEM "%s"> ]>
                <response><resultCode>0</resultCode><record><name>&xxe;</name><certType>01</certType>
                <certNo>1101**********0017</certNo><status>未见异常</status>
                <updateTime>2022年01月04日 09:00</updateTime><validTo>2022年01月04日 23:59</validTo></record></response>
                """.formatted(secret.toUri());
        assertThatThrownBy(() -> map("application/xml", xxe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("document type declarations are refused")
                .hasMessageNotContaining("TOP-SECRET-MARKER");
        String parameterEntity = """
                <?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "%s"> %p;]><response/>
                """.replace("%s", secret.toUri().toString());
        assertThatThrownBy(() -> map("application/xml", parameterEntity.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RejectedAnswer.class).hasMessageNotContaining("TOP-SECRET-MARKER");
    }

    @Test
    void billionLaughsIsRefusedQuickly() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]><response><resultCode>&lol9;</resultCode></response>");
        long start = System.nanoTime();
        assertThatThrownBy(() -> map("application/xml", dtd.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("document type declarations are refused");
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void rejectsNonXmlBodies() {
        assertThatThrownBy(() -> map("application/xml", "<response><resultCode>0</resultCode>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("not acceptable XML");
        assertThatThrownBy(() -> map("text/html", "<html></html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("content type");
        assertThatThrownBy(() -> map("application/xml", "<html></html>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("root element");
    }
}
