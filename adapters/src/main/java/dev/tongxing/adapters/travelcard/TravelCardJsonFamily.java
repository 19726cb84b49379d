package dev.tongxing.adapters.travelcard;

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
import dev.tongxing.api.v1.TravelCardColour;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The national telecommunications big-data travel-history card, queried by phone number.
 *
 * <p>Request: {@code POST {"msisdn": "13800138000"}}.
 *
 * <p>Reply: {@code {"code": "0", "message": "success", "result": {...}}}; {@code code} {@code 1001}
 * means the number has no record. {@code result} carries {@code msisdn} (masked, {@code 138****8000}),
 * {@code color} ({@code green}, {@code yellow}, {@code orange}, {@code red}), {@code days} (the window,
 * 14), {@code updateTime} ({@code yyyy-MM-dd HH:mm:ss}, source zone) and {@code cities}: the names
 * of the cities passed through, each followed by {@code *} when it had medium- or high-risk areas,
 * exactly as the card displays them ({@code 陕西省西安市*}).
 */
public final class TravelCardJsonFamily extends ClockedFamily {

    public static final String NAME = "travel-card-json";

    public TravelCardJsonFamily() {
        super(NAME, SourceKind.TRAVEL_CARD, java.time.Clock.systemUTC());
    }
    /** No real itinerary over 14 days lists hundreds of cities; a longer list is an error, not data. */
    static final int MAX_CITIES = 200;

    private static final String DATE_TIME = "yyyy-MM-dd HH:mm:ss";

    @Override
    public UpstreamRequest request(SourceQuery query, SourceSettings source) {
        return UpstreamRequest.postJson(StrictJson.write(Map.of("msisdn", query.phoneNumber())));
    }

    @Override
    public SourceAnswer map(UpstreamReply reply, SourceQuery query, SourceSettings source) {
        StrictJson json = StrictJson.of(source);
        JsonNode root = json.object(StrictReply.text(reply, source, "application/json", StandardCharsets.UTF_8));
        String code = json.requiredText(root, "code");
        switch (code) {
            case "0" -> { }
            case "1001" -> {
                return new SourceAnswer.NotFound(source.id(), source.id() + ": no travel record for this phone number");
            }
            default -> throw new RejectedAnswer(source.id(), "field 'code' has unknown value '" + StrictReply.printable(code) + "'");
        }
        JsonNode result = json.requiredObject(root, "result");
        String maskedPhone = json.requiredText(result, "msisdn");
        if (!Masking.sameIdentity(maskedPhone, query.phoneNumber())) {
            throw new RejectedAnswer(source.id(), "field 'result.msisdn' names a different phone number than the one asked for");
        }
        TravelCardColour colour = colour(json.requiredText(result, "color"), source);
        int days = json.requiredInt(result, "days", 1, 30);
        List<SourceAnswer.City> cities = new ArrayList<>();
        JsonNode list = json.requiredArray(result, "cities", MAX_CITIES);
        for (int i = 0; i < list.size(); i++) {
            cities.add(city(list.get(i), i, source));
        }
        return new SourceAnswer.TravelCard(source.id(), colour, cities, days, maskedPhone,
                json.requiredDateTime(result, "updateTime", DATE_TIME, source.zone()));
    }

    private static TravelCardColour colour(String text, SourceSettings source) {
        return switch (text) {
            case "green" -> TravelCardColour.TRAVEL_GREEN;
            case "yellow" -> TravelCardColour.TRAVEL_YELLOW;
            case "orange" -> TravelCardColour.TRAVEL_ORANGE;
            case "red" -> TravelCardColour.TRAVEL_RED;
            default -> throw new RejectedAnswer(source.id(), "field 'result.color' has unknown colour '" + StrictReply.printable(text) + "'");
        };
    }

    /** Parses one city as the card prints it: a name, then an optional trailing star. */
    public static SourceAnswer.City city(JsonNode node, int index, SourceSettings source) {
        if (node == null || !node.isTextual()) {
            throw new RejectedAnswer(source.id(), "field 'result.cities[" + index + "]' is not a string");
        }
        return parseCity(node.textValue(), "result.cities[" + index + "]", source);
    }

    public static SourceAnswer.City parseCity(String raw, String field, SourceSettings source) {
        String text = raw.strip();
        boolean starred = text.endsWith("*") || text.endsWith("＊");
        String name = starred ? text.substring(0, text.length() - 1).strip() : text;
        if (name.isEmpty() || name.length() > 40 || !name.codePoints().allMatch(Character::isLetter)) {
            throw new RejectedAnswer(source.id(), "field '" + field + "' is not a city name");
        }
        return new SourceAnswer.City(name, starred);
    }
}
