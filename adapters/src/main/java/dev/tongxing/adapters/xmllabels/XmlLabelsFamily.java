package dev.tongxing.adapters.xmllabels;

import dev.tongxing.adapters.ClockedFamily;
import dev.tongxing.adapters.Masking;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.StrictReply;
import dev.tongxing.adapters.StrictXml;
import dev.tongxing.adapters.UpstreamReply;
import dev.tongxing.adapters.UpstreamRequest;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * The XML family with Chinese status labels, as Beijing's 北京健康宝 answers.
 *
 * <p>Request: {@code POST application/xml; charset=UTF-8}
 * {@code <request><certType>01</certType><certNo>...</certNo><phone>...</phone></request>}; certificate
 * types are {@code 01} 居民身份证 (resident ID), {@code 02} 护照 (passport) and {@code 06}
 * 港澳居民来往内地通行证 (HK/Macau permit); {@code phone} only when the traveler gave one.
 *
 * <p>Reply ({@code application/xml} or {@code text/xml}), in GBK or UTF-8:
 * <pre>{@code
 * <?xml version="1.0" encoding="GBK"?>
 * <response>
 *   <resultCode>0</resultCode><resultMsg>查询成功</resultMsg>
 *   <record>
 *     <name>张*</name><certType>01</certType><certNo>1101**********123X</certNo>
 *     <status>未见异常</status><statusNote></statusNote>
 *     <updateTime>2022年01月04日 09:00</updateTime><validTo>2022年01月04日 23:59</validTo>
 *   </record>
 * </response>
 * }</pre>
 * {@code resultCode} {@code 1} (未查询到) means an unknown traveler; any other code is rejected.
 * The status is a label, never a colour: {@code 未见异常} (nothing abnormal) is GREEN; {@code 弹窗}
 * (the app shows a pop-up: the holder must be checked by hand) and {@code 居家观察} (home observation)
 * are YELLOW, with the reason {@code 弹窗: <statusNote>}; {@code 集中隔离} (central quarantine) and
 * {@code 红码} are RED. Every other label is rejected.
 *
 * <p>Quirks: the charset is declared by the Content-Type header and/or the XML declaration; both are
 * honoured and must agree. Dates are {@code yyyy年MM月dd日 HH:mm}, minutes only, in the source's zone
 * (Asia/Shanghai). Names are masked ({@code 张*}, {@code 欧阳**}), as is {@code certNo}; the echoed
 * {@code certType} must be the one asked for. A document type declaration anywhere is refused, so
 * external entities are never resolved.
 */
public final class XmlLabelsFamily extends ClockedFamily {

    public static final String NAME = "xml-labels";

    public static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu年MM月dd日 HH:mm").withResolverStyle(ResolverStyle.STRICT);
    private static final Set<Charset> CHARSETS = Set.of(StandardCharsets.UTF_8, Charset.forName("GBK"));
    private static final Set<String> MEDIA_TYPES = Set.of("application/xml", "text/xml");
    private static final Map<String, HealthCodeColour> LABELS = Map.of(
            "未见异常", HealthCodeColour.GREEN,
            "弹窗", HealthCodeColour.YELLOW,
            "居家观察", HealthCodeColour.YELLOW,
            "集中隔离", HealthCodeColour.RED,
            "红码", HealthCodeColour.RED);


    /** Uses the system clock to decide whether a status has expired. */
    public XmlLabelsFamily() {
        this(Clock.systemUTC());
    }

    public XmlLabelsFamily(Clock clock) {
        super(NAME, SourceKind.HEALTH_CODE, clock);
    }

    @Override
    public UpstreamRequest request(SourceQuery query, SourceSettings source) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><request>")
                .append("<certType>").append(documentTypeCode(query.documentType())).append("</certType>")
                .append("<certNo>").append(StrictXml.escape(query.documentNumber())).append("</certNo>");
        if (!query.phoneNumber().isEmpty()) {
            xml.append("<phone>").append(StrictXml.escape(query.phoneNumber())).append("</phone>");
        }
        xml.append("</request>");
        return new UpstreamRequest("POST", "application/xml; charset=UTF-8",
                xml.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    @Override
    public SourceAnswer map(UpstreamReply reply, SourceQuery query, SourceSettings source) {
        byte[] body = StrictReply.body(reply, source, MEDIA_TYPES);
        StrictXml xml = StrictXml.of(source);
        Element root = xml.document(reply, body, source, CHARSETS, "response");
        String resultCode = xml.requiredText(root, "resultCode", "response.resultCode");
        switch (resultCode) {
            case "0" -> { }
            case "1" -> {
                return new SourceAnswer.NotFound(source.id(), source.id() + ": no record for this traveler");
            }
            default -> throw new RejectedAnswer(source.id(),
                    "element 'response.resultCode' has unknown value '" + StrictReply.printable(resultCode) + "'");
        }
        Element record = xml.requiredChild(root, "record", "response.record");
        String certType = xml.requiredText(record, "certType", "record.certType");
        if (!certType.equals(documentTypeCode(query.documentType()))) {
            throw new RejectedAnswer(source.id(), "element 'record.certType' names a different document than the one asked about");
        }
        Masking.requireSameDocument(xml.requiredText(record, "certNo", "record.certNo"), query.documentNumber(), "record.certNo", source.id());
        String label = xml.requiredText(record, "status", "record.status");
        HealthCodeColour colour = LABELS.get(label);
        if (colour == null) {
            throw new RejectedAnswer(source.id(), "element 'record.status' has unknown label '" + StrictReply.printable(label) + "'");
        }
        String note = xml.optionalText(record, "statusNote", "record.statusNote");
        Instant updatedAt = xml.requiredDateTime(record, "updateTime", "record.updateTime", DATE_TIME, source.zone());
        Instant validTo = xml.requiredDateTime(record, "validTo", "record.validTo", DATE_TIME, source.zone());
        StrictReply.requireValidAt(clock.instant(), Optional.empty(), validTo, Duration.ZERO, "", "record.validTo", source);
        String reason = colour == HealthCodeColour.GREEN ? note : label + (note.isEmpty() ? "" : ": " + note);
        return new SourceAnswer.HealthCode(
                source.id(),
                colour,
                reason,
                Optional.of(validTo),
                source.province(),
                updatedAt,
                xml.requiredText(record, "name", "record.name"),
                Optional.empty(),
                Optional.empty());
    }

    /** The wire code of a document type; public for simulators and tests. */
    public static String documentTypeCode(DocumentType type) {
        return switch (type) {
            case RESIDENT_ID -> "01";
            case PASSPORT -> "02";
            case HK_MACAU_PERMIT -> "06";
            default -> throw new IllegalArgumentException("unsupported document type " + type);
        };
    }
}
