package dev.tongxing.adapters.pinyinjson;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongxing.adapters.ClockedFamily;
import dev.tongxing.adapters.InvalidCodePayload;
import dev.tongxing.adapters.Masking;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.ScannedCode;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.StrictJson;
import dev.tongxing.adapters.StrictReply;
import dev.tongxing.adapters.UpstreamReply;
import dev.tongxing.adapters.UpstreamRequest;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.TestFacts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The "one code" JSON family with pinyin-abbreviated field names, as Shaanxi's platform used.
 *
 * <p>Request: {@code POST} a JSON object {@code {"zjlx": "01", "zjhm": "...", "sjh": "..."}}
 * (证件类型 document type: 01 resident ID, 03 passport, 06 HK/Macau permit; 证件号码; 手机号).
 *
 * <p>Reply: {@code {"zt": "0", "xx": "成功", "sj": {...}}} where {@code zt} (状态) is {@code 0} for a
 * found record and {@code 1} for an unknown traveler, and {@code sj} (数据) carries
 * {@code xm} (姓名, masked name), {@code zjhm} (masked number), {@code mys} (码颜色: {@code lvma},
 * {@code huangma}, {@code hongma}), {@code yy} (原因), {@code yxq} (有效期, validity end),
 * {@code gxsj} (更新时间), optionally {@code hsjc} (核酸检测: {@code jcjg} 检测结果
 * {@code yinxing}/{@code yangxing}/{@code daijian}, {@code cysj} 采样时间) and {@code ymjz}
 * (疫苗接种: {@code jzzc} 接种针次, {@code zhjzrq} 最后接种日期, {@code qc} 全程 "1"/"0").
 * Timestamps are {@code yyyy-MM-dd HH:mm:ss} in the source's zone. A code whose {@code yxq} is not
 * after the hub's clock has expired and is rejected: the app shows a fresh code after midnight.
 *
 * <p>QR payload: {@code <prefix>} followed by base64url JSON {@code {"zjlx", "zjhm", "sjh", "scsj"}}
 * where {@code scsj} (生成时间) is epoch seconds; the app refreshes it every minute and the hub accepts it
 * for option {@code qr-validity} (ISO-8601 duration, default PT5M).
 */
public final class PinyinJsonFamily extends ClockedFamily {

    public static final String NAME = "pinyin-json";

    private static final String DATE_TIME = "yyyy-MM-dd HH:mm:ss";
    private static final String DATE = "yyyy-MM-dd";


    /** 9999-12-31T23:59:59Z. */
    private static final long LATEST_SECOND = 253402300799L;

    /** Uses the system clock to decide whether a code has expired. */
    public PinyinJsonFamily() {
        this(java.time.Clock.systemUTC());
    }

    public PinyinJsonFamily(java.time.Clock clock) {
        super(NAME, SourceKind.HEALTH_CODE, clock);
    }

    @Override
    public UpstreamRequest request(SourceQuery query, SourceSettings source) {
        return UpstreamRequest.postTravelerJson(query, "zjlx", documentTypeCode(query.documentType()), "zjhm", "sjh");
    }

    @Override
    public SourceAnswer map(UpstreamReply reply, SourceQuery query, SourceSettings source) {
        StrictJson json = StrictJson.of(source);
        JsonNode root = json.object(StrictReply.text(reply, source, "application/json", StandardCharsets.UTF_8));
        String status = json.requiredText(root, "zt");
        switch (status) {
            case "0" -> { }
            case "1" -> {
                return new SourceAnswer.NotFound(source.id(), source.id() + ": no record for this traveler");
            }
            default -> throw new RejectedAnswer(source.id(), "field 'zt' has unknown status '" + StrictReply.printable(status) + "'");
        }
        JsonNode data = json.requiredObject(root, "sj");
        String maskedNumber = json.requiredText(data, "zjhm");
        Masking.requireSameDocument(maskedNumber, query.documentNumber(), "sj.zjhm", source.id());
        HealthCodeColour colour = colour(json.requiredText(data, "mys"), source);
        Instant updatedAt = json.requiredDateTime(data, "gxsj", DATE_TIME, source.zone());
        Optional<Instant> validUntil = json.optionalDateTime(data, "yxq", DATE_TIME, source.zone());
        validUntil.ifPresent(until -> StrictReply.requireValidAt(clock.instant(), Optional.empty(), until, java.time.Duration.ZERO,
                "", "sj.yxq", source));
        return new SourceAnswer.HealthCode(
                source.id(),
                colour,
                json.optionalText(data, "yy"),
                validUntil,
                source.province(),
                updatedAt,
                json.requiredText(data, "xm"),
                json.optionalObject(data, "hsjc").map(test -> test(json, test, source)),
                json.optionalObject(data, "ymjz").map(vaccination -> vaccination(json, vaccination)));
    }

    private static HealthCodeColour colour(String code, SourceSettings source) {
        return switch (code) {
            case "lvma" -> HealthCodeColour.GREEN;
            case "huangma" -> HealthCodeColour.YELLOW;
            case "hongma" -> HealthCodeColour.RED;
            default -> throw new RejectedAnswer(source.id(), "field 'sj.mys' has unknown colour '" + StrictReply.printable(code) + "'");
        };
    }

    private static SourceAnswer.NucleicAcidTest test(StrictJson json, JsonNode test, SourceSettings source) {
        String resultCode = json.requiredText(test, "jcjg");
        TestFacts.Result result = switch (resultCode) {
            case "yinxing" -> TestFacts.Result.NEGATIVE;
            case "yangxing" -> TestFacts.Result.POSITIVE;
            case "daijian" -> TestFacts.Result.PENDING;
            default -> throw new RejectedAnswer(source.id(), "field 'sj.hsjc.jcjg' has unknown result '" + StrictReply.printable(resultCode) + "'");
        };
        return new SourceAnswer.NucleicAcidTest(result, json.requiredDateTime(test, "cysj", DATE_TIME, source.zone()));
    }

    private static SourceAnswer.Vaccination vaccination(StrictJson json, JsonNode vaccination) {
        int doses = json.requiredInt(vaccination, "jzzc", 0, 10);
        String complete = json.optionalText(vaccination, "qc");
        return new SourceAnswer.Vaccination(doses, json.optionalDate(vaccination, "zhjzrq", DATE), complete.equals("1"));
    }

    static String documentTypeCode(DocumentType type) {
        return switch (type) {
            case RESIDENT_ID -> "01";
            case PASSPORT -> "03";
            case HK_MACAU_PERMIT -> "06";
            default -> throw new IllegalArgumentException("unsupported document type " + type);
        };
    }

    static DocumentType documentType(String code) {
        return switch (code) {
            case "01" -> DocumentType.RESIDENT_ID;
            case "03" -> DocumentType.PASSPORT;
            case "06" -> DocumentType.HK_MACAU_PERMIT;
            default -> throw new InvalidCodePayload("payload: unknown document type '" + StrictReply.printable(code) + "'");
        };
    }

    @Override
    public Optional<ScannedCode> readCode(String payload, SourceSettings source, Instant now) {
        if (source.qrPrefix().isEmpty() || !payload.startsWith(source.qrPrefix())) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getUrlDecoder().decode(payload.substring(source.qrPrefix().length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidCodePayload("payload: not valid base64url after the '" + source.qrPrefix() + "' prefix");
        }
        JsonNode root;
        StrictJson json = StrictJson.of(source);
        String zjlx;
        String zjhm;
        String sjh;
        long generated;
        try {
            root = json.object(new String(decoded, StandardCharsets.UTF_8));
            zjlx = json.requiredText(root, "zjlx");
            zjhm = json.requiredText(root, "zjhm");
            sjh = json.optionalText(root, "sjh");
            JsonNode scsj = root.get("scsj");
            if (scsj == null || !scsj.canConvertToLong() || !scsj.isIntegralNumber()) {
                throw new RejectedAnswer(source.id(), "field 'scsj' is missing or not an integer");
            }
            generated = scsj.longValue();
            // Checked before any arithmetic: Instant.ofEpochSecond throws past year 1000000000, and
            // adding the validity overflows near the end of time.
            if (generated < 0 || generated > LATEST_SECOND) {
                throw new RejectedAnswer(source.id(), "field 'scsj' is not a time in seconds between 1970 and 9999");
            }
        } catch (RejectedAnswer e) {
            throw new InvalidCodePayload("payload: " + e.getMessage());
        }
        Instant generatedAt = Instant.ofEpochSecond(generated);
        Duration validity = Duration.parse(source.option("qr-validity", "PT5M"));
        if (generatedAt.isAfter(now.plusSeconds(60))) {
            throw new InvalidCodePayload("payload: generated in the future");
        }
        if (generatedAt.plus(validity).isBefore(now)) {
            throw new InvalidCodePayload("payload: code expired (older than " + validity + "); ask the traveler to refresh it");
        }
        SourceQuery traveler = new SourceQuery(documentType(zjlx), zjhm.trim().toUpperCase(java.util.Locale.ROOT), sjh, source.province());
        return Optional.of(new ScannedCode(traveler, generatedAt));
    }

    /** Builds a payload as the province's app would show it; used by simulators and tests. */
    public static String encodeCode(String prefix, DocumentType type, String number, String phone, Instant generatedAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("zjlx", documentTypeCode(type));
        body.put("zjhm", number);
        if (phone != null && !phone.isEmpty()) {
            body.put("sjh", phone);
        }
        body.put("scsj", generatedAt.getEpochSecond());
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(StrictJson.write(body));
    }
}
