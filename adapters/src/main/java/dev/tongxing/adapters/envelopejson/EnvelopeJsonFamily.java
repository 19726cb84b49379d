package dev.tongxing.adapters.envelopejson;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongxing.adapters.ClockedFamily;
import dev.tongxing.adapters.Masking;
import dev.tongxing.adapters.RejectedAnswer;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code {code, msg, data}} envelope family with numeric colour codes, as Guangdong's 粤康码
 * platform answers.
 *
 * <p>Request: {@code POST} a JSON object {@code {"idType": "1", "idNo": "...", "mobile": "..."}}
 * ({@code idType}: {@code "1"} 居民身份证 resident ID, {@code "2"} 护照 passport, {@code "4"}
 * 港澳居民来往内地通行证 HK/Macau permit; {@code mobile} only when the traveler gave one).
 *
 * <p>Reply: {@code {"code": 0, "msg": "ok", "data": {...}}}. {@code code} is a JSON number:
 * {@code 0} for a record, {@value #NOT_FOUND} for an unknown traveler (then {@code data} is absent or
 * {@code null}); anything else, including the string {@code "0"}, is rejected. {@code data} carries
 * {@code name} (masked, {@code 陈*明}), {@code idNo} (masked, {@code 4401**********123X}),
 * {@code healthCode} (a JSON integer: {@code 0} green, {@code 1} yellow, {@code 2} red; {@code 3},
 * {@code "0"} or {@code 0.5} are rejected), optional {@code reason}, and {@code validTime} and
 * {@code updateTime} as epoch <em>milliseconds</em> (JSON integers, so no time-zone quirk here, unlike
 * the string dates of other families). A code whose {@code validTime} is not after the hub's clock is
 * expired and rejected: Guangdong issues codes valid until midnight and expects a fresh query after.
 */
public final class EnvelopeJsonFamily extends ClockedFamily {

    public static final String NAME = "envelope-json";
    /** The envelope code for "no such person" (未查询到该人员). */
    public static final int NOT_FOUND = 404;


    /** Uses the system clock to decide whether a code has expired. */
    public EnvelopeJsonFamily() {
        this(Clock.systemUTC());
    }

    public EnvelopeJsonFamily(Clock clock) {
        super(NAME, SourceKind.HEALTH_CODE, clock);
    }

    @Override
    public UpstreamRequest request(SourceQuery query, SourceSettings source) {
        return UpstreamRequest.postTravelerJson(query, "idType", documentTypeCode(query.documentType()), "idNo", "mobile");
    }

    @Override
    public SourceAnswer map(UpstreamReply reply, SourceQuery query, SourceSettings source) {
        StrictJson json = StrictJson.of(source);
        JsonNode root = json.object(StrictReply.text(reply, source, "application/json", StandardCharsets.UTF_8));
        int code = json.requiredInt(root, "code", Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (code == NOT_FOUND) {
            return new SourceAnswer.NotFound(source.id(), source.id() + ": no record for this traveler");
        }
        if (code != 0) {
            throw new RejectedAnswer(source.id(), "field 'code' has unknown value " + code
                    + " (msg '" + StrictReply.printable(root.path("msg").asText("")) + "')");
        }
        JsonNode data = json.requiredObject(root, "data");
        Masking.requireSameDocument(json.requiredText(data, "idNo"), query.documentNumber(), "data.idNo", source.id());
        HealthCodeColour colour = colour(json.requiredInt(data, "healthCode", Integer.MIN_VALUE, Integer.MAX_VALUE), source);
        Instant validUntil = json.requiredEpochMillis(data, "validTime");
        Instant updatedAt = json.requiredEpochMillis(data, "updateTime");
        StrictReply.requireValidAt(clock.instant(), Optional.empty(), validUntil, Duration.ZERO, "", "data.validTime", source);
        return new SourceAnswer.HealthCode(
                source.id(),
                colour,
                json.optionalText(data, "reason"),
                Optional.of(validUntil),
                source.province(),
                updatedAt,
                json.requiredText(data, "name"),
                Optional.empty(),
                Optional.empty());
    }

    private static HealthCodeColour colour(int code, SourceSettings source) {
        return switch (code) {
            case 0 -> HealthCodeColour.GREEN;
            case 1 -> HealthCodeColour.YELLOW;
            case 2 -> HealthCodeColour.RED;
            default -> throw new RejectedAnswer(source.id(), "field 'data.healthCode' has unknown colour " + code);
        };
    }

    /** The wire code of a document type; public for simulators and tests. */
    public static String documentTypeCode(DocumentType type) {
        return switch (type) {
            case RESIDENT_ID -> "1";
            case PASSPORT -> "2";
            case HK_MACAU_PERMIT -> "4";
            default -> throw new IllegalArgumentException("unsupported document type " + type);
        };
    }
}
