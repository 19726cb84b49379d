package dev.tongxing.simulators;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Beijing's 北京健康宝 as the {@code xml-labels} family expects it: GBK XML with Chinese status labels. */
final class BeijingJkb extends SimulatedProvince {

    static final String PATH = "/beijing/jkb/services/query";
    private static final Charset GBK = Charset.forName("GBK");
    private static final Pattern CERT_NO = Pattern.compile("<certNo>([0-9A-Za-z]{1,20})</certNo>");
    private static final Pattern CERT_TYPE = Pattern.compile("<certType>([0-9]{2})</certType>");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu年MM月dd日 HH:mm");

    BeijingJkb(SimulatedPopulation population, Clock clock, Runnable latency) {
        super("11", population, clock, latency);
    }

    @Override
    Reply answer(byte[] request) {
        String text = new String(request, StandardCharsets.UTF_8);
        Matcher number = CERT_NO.matcher(text);
        Matcher type = CERT_TYPE.matcher(text);
        var traveler = number.find() && type.find() && type.group(1).equals("01") ? resident(number.group(1)) : java.util.Optional.<SimulatedTraveler>empty();
        String xml;
        if (traveler.isEmpty()) {
            xml = "<?xml version=\"1.0\" encoding=\"GBK\"?>\n<response><resultCode>1</resultCode><resultMsg>未查询到</resultMsg></response>\n";
        } else {
            SimulatedTraveler t = traveler.get();
            LocalDateTime now = LocalDateTime.now(clock.withZone(BEIJING_TIME));
            String status = switch (t.healthColour()) {
                case "hongma" -> "集中隔离";
                case "huangma" -> "弹窗";
                default -> "未见异常";
            };
            String note = switch (t.healthColour()) {
                case "huangma" -> "请48小时内完成核酸检测";
                case "hongma" -> t.reason();
                default -> "";
            };
            xml = """
                    <?xml version="1.0" encoding="GBK"?>
                    <response>
                      <resultCode>0</resultCode>
                      <resultMsg>查询成功</resultMsg>
                      <record>
                        <name>%s</name>
                        <certType>01</certType>
                        <certNo>%s</certNo>
                        <status>%s</status>
                        <statusNote>%s</statusNote>
                        <updateTime>%s</updateTime>
                        <validTo>%s</validTo>
                      </record>
                    </response>
                    """.formatted(t.maskedName(), maskNumber(number.group(1)), status, note,
                    now.minusMinutes(t.index() % 600).format(DATE_TIME), now.toLocalDate().atTime(23, 59).format(DATE_TIME));
        }
        return new Reply(200, "application/xml; charset=GBK", xml.getBytes(GBK));
    }
}
