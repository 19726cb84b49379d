package dev.tongxing.adapters.carriersms;

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
import dev.tongxing.adapters.travelcard.TravelCardJsonFamily;
import dev.tongxing.api.v1.TravelCardColour;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The travel-history card as the carriers' SMS channel gives it: the query people were told to
 * send when the card's own service failed (2021-08-02), "CXMYD" to 10086, 10010 or 10001. The hub
 * asks the carrier's SMS gateway over HTTP and reads the text message a phone would show.
 *
 * <p>Request: {@code POST {"msisdn": "13800138000", "command": "CXMYD"}}.
 *
 * <p>Reply: {@code text/plain} (UTF-8 unless the Content-Type says otherwise), exactly one SMS:
 * <pre>
 * 【通信行程卡】尊敬的用户：您的手机号138****0000于前14天内到达或途经：陕西省西安市*，广东省深圳市。结果包含您在前14天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：绿色。
 * </pre>
 * or, for a number without a record,
 * <pre>
 * 【通信行程卡】尊敬的用户：您的手机号138****0000未查询到前14天内的到访地信息。
 * </pre>
 * The text is read piece by piece, anchored at both ends: the masked number must be the asked
 * one ({@link Masking#sameIdentity}); the window (1 to 30 days) must be the same number both times
 * the message states it; cities are separated by {@code ，} or {@code 、}, each optionally starred,
 * and read as the travel card reads them ({@link TravelCardJsonFamily#parseCity}); the colour is one
 * of 绿色, 黄色, 橙色, 红色. Anything else, a stray space or line break included, is rejected with
 * the part that did not match. The message carries no time; the card's {@code updated_at} is when
 * the hub received it.
 */
public final class CarrierSmsFamily extends ClockedFamily {

    public static final String NAME = "carrier-sms";
    /** The SMS command that asks for the travel card. */
    public static final String COMMAND = "CXMYD";
    static final int MAX_CITIES = 200;

    private static final String SIGNATURE = "【通信行程卡】";
    private static final String GREETING = "尊敬的用户：您的手机号";
    private static final Pattern MASKED_PHONE = Pattern.compile("\\d{3}\\*{4}\\d{4}");
    private static final Pattern DAYS = Pattern.compile("[1-9]\\d?");
    private static final Pattern CITY_SEPARATOR = Pattern.compile("[，、]");
    private static final Map<String, TravelCardColour> COLOURS = Map.of(
            "绿色", TravelCardColour.TRAVEL_GREEN,
            "黄色", TravelCardColour.TRAVEL_YELLOW,
            "橙色", TravelCardColour.TRAVEL_ORANGE,
            "红色", TravelCardColour.TRAVEL_RED);


    public CarrierSmsFamily() {
        this(Clock.systemUTC());
    }

    /** @param clock gives the card's {@code updated_at}: the SMS itself states no time */
    public CarrierSmsFamily(Clock clock) {
        super(NAME, SourceKind.TRAVEL_CARD, clock);
    }

    @Override
    public UpstreamRequest request(SourceQuery query, SourceSettings source) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("msisdn", query.phoneNumber());
        body.put("command", COMMAND);
        return UpstreamRequest.postJson(StrictJson.write(body));
    }

    @Override
    public SourceAnswer map(UpstreamReply reply, SourceQuery query, SourceSettings source) {
        Sms sms = new Sms(StrictReply.text(reply, source, "text/plain", StandardCharsets.UTF_8), source);
        sms.expect(SIGNATURE, "signature");
        sms.expect(GREETING, "greeting");
        String maskedPhone = sms.take(MASKED_PHONE, "masked phone number");
        if (!Masking.sameIdentity(maskedPhone, query.phoneNumber())) {
            throw new RejectedAnswer(source.id(), "SMS part 'masked phone number' names a different phone number than the one asked for");
        }
        if (sms.accept("未查询到前")) {
            int days = sms.days();
            sms.expect("天内的到访地信息。", "no-record sentence");
            sms.end();
            return new SourceAnswer.NotFound(source.id(), source.id() + ": no travel record for this phone number (" + days + " days)");
        }
        sms.expect("于前", "itinerary sentence");
        int days = sms.days();
        sms.expect("天内到达或途经：", "itinerary sentence");
        List<SourceAnswer.City> cities = cities(sms.upTo("。", "cities"), source);
        sms.expect("结果包含您在前", "explanation sentence");
        if (sms.days() != days) {
            throw new RejectedAnswer(source.id(), "SMS part 'window days' states two different windows");
        }
        sms.expect("天内到访的国内城市（*表示途经中高风险地区）。", "explanation sentence");
        sms.expect("您的行程卡颜色为：", "colour sentence");
        String colourText = sms.upTo("。", "colour");
        TravelCardColour colour = COLOURS.get(colourText);
        if (colour == null) {
            throw new RejectedAnswer(source.id(), "SMS part 'colour' has unknown colour '" + StrictReply.printable(colourText) + "'");
        }
        sms.end();
        return new SourceAnswer.TravelCard(source.id(), colour, cities, days, maskedPhone, clock.instant());
    }

    private static List<SourceAnswer.City> cities(String text, SourceSettings source) {
        String[] names = CITY_SEPARATOR.split(text, -1);
        if (names.length > MAX_CITIES) {
            throw new RejectedAnswer(source.id(), "SMS part 'cities' lists " + names.length + " cities, more than " + MAX_CITIES);
        }
        List<SourceAnswer.City> cities = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            if (!names[i].equals(names[i].strip())) {
                throw new RejectedAnswer(source.id(), "SMS part 'cities[" + i + "]' is not a city name");
            }
            cities.add(TravelCardJsonFamily.parseCity(names[i], "cities[" + i + "]", source));
        }
        return cities;
    }

    /** A cursor over the message; every failure names the part that did not match. */
    private static final class Sms {
        private final String text;
        private final SourceSettings source;
        private int at;

        Sms(String text, SourceSettings source) {
            this.text = text;
            this.source = source;
        }

        void expect(String literal, String part) {
            if (!accept(literal)) {
                throw mismatch(part);
            }
        }

        boolean accept(String literal) {
            if (text.startsWith(literal, at)) {
                at += literal.length();
                return true;
            }
            return false;
        }

        String take(Pattern pattern, String part) {
            Matcher m = pattern.matcher(text).region(at, text.length());
            if (!m.lookingAt()) {
                throw mismatch(part);
            }
            at = m.end();
            return m.group();
        }

        int days() {
            int days = Integer.parseInt(take(DAYS, "window days"));
            if (days > 30) {
                throw new RejectedAnswer(source.id(), "SMS part 'window days' is " + days + ", outside 1..30");
            }
            return days;
        }

        /** The text up to (not including) the next {@code end}, which is consumed too. */
        String upTo(String end, String part) {
            int stop = text.indexOf(end, at);
            if (stop < 0) {
                throw mismatch(part);
            }
            String taken = text.substring(at, stop);
            at = stop + end.length();
            return taken;
        }

        void end() {
            if (at != text.length()) {
                throw new RejectedAnswer(source.id(), "SMS has unexpected text after its last sentence");
            }
        }

        private RejectedAnswer mismatch(String part) {
            return new RejectedAnswer(source.id(), "SMS part '" + part + "' does not match the carrier's message format");
        }
    }
}
