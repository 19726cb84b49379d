package dev.tongxing.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tongxing.adapters.FormatFamily;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.UpstreamReply;
import dev.tongxing.adapters.carriersms.CarrierSmsFamily;
import dev.tongxing.adapters.envelopejson.EnvelopeJsonFamily;
import dev.tongxing.adapters.nativegrpc.NativeGrpcFamily;
import dev.tongxing.adapters.pinyinjson.PinyinJsonFamily;
import dev.tongxing.adapters.signedjson.SignedJsonFamily;
import dev.tongxing.adapters.travelcard.TravelCardJsonFamily;
import dev.tongxing.adapters.xmllabels.XmlLabelsFamily;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.HealthCodeComponent;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.contracts.Mutations.Payload;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every family's mapper against 100,000 mutated payloads each. Two things must hold for every one:
 * the mapper throws nothing but {@link RejectedAnswer}, and any colour (or "not found") it returns is
 * what the mutated payload itself states, as read by an independent, lenient oracle below; a colour
 * from an expired or unverifiable payload counts as a colour the payload did not state.
 */
class MapperFuzzTest {

    private static final SourceQuery SHAANXI = new SourceQuery(DocumentType.RESIDENT_ID, "610102199001011234", "13800138000", "61");
    private static final SourceQuery GUANGDONG = new SourceQuery(DocumentType.RESIDENT_ID, "44010619900307123X", "", "44");
    private static final SourceQuery BEIJING = new SourceQuery(DocumentType.RESIDENT_ID, "110105198512240017", "", "11");
    private static final SourceQuery SICHUAN = new SourceQuery(DocumentType.RESIDENT_ID, "510104199001011234", "", "51");
    private static final SourceQuery SHANGHAI = new SourceQuery(DocumentType.RESIDENT_ID, "310104199203150021", "", "31");
    private static final List<String> JUNK = List.of("", " ", "GREEN", "green ", "lvma", "0", "1", "绿码", "未见异常", "G", "g", "null", "\\u0000");

    /** One mutated reply, the query it is mapped against, and (signed-json) what was legitimately signed. */
    record Case(Payload payload, String signedPayload) {
        UpstreamReply reply() {
            return new UpstreamReply(200, payload.contentType(), payload.bytes());
        }

        @Override
        public String toString() {
            String shown = new String(payload.bytes(), StandardCharsets.ISO_8859_1);
            return "[" + payload.contentType() + "] " + (shown.length() > 600 ? shown.substring(0, 600) + "..." : shown);
        }
    }

    // ---------------------------------------------------------------- properties

    @Test
    void pinyinJson() {
        Fuzz.run("pinyinJson", pinyinCases(), c -> {
            check(new PinyinJsonFamily(SourceHarness.CLOCK), settings("shaanxi-ymt", "pinyin-json", "61", Map.of()), SHAANXI, c, stated(c, this::pinyinOracle));
        });
    }

    @Test
    void travelCardJson() {
        Fuzz.run("travelCardJson", travelCases(), c -> {
            check(new TravelCardJsonFamily(), settings("travel-card", "travel-card-json", "00", Map.of()), SHAANXI, c, stated(c, this::travelOracle));
        });
    }

    @Test
    void envelopeJson() {
        Fuzz.run("envelopeJson", envelopeCases(), c -> {
            check(new EnvelopeJsonFamily(SourceHarness.CLOCK), settings("guangdong-ykm", "envelope-json", "44", Map.of()), GUANGDONG, c,
                    stated(c, this::envelopeOracle));
        });
    }

    @Test
    void xmlLabels() {
        Fuzz.run("xmlLabels", xmlCases(), c -> {
            check(new XmlLabelsFamily(SourceHarness.CLOCK), settings("beijing-jkb", "xml-labels", "11", Map.of()), BEIJING, c, xmlOracle(c));
        });
    }

    private static final SignedJsonFamily SIGNED = new SignedJsonFamily(SourceHarness.CLOCK);
    private static final SourceSettings SHANGHAI_SOURCE = settings("shanghai-ssm", "signed-json", "31", Map.of(
            "public-key", Base64.getEncoder().encodeToString(SourceHarness.SHANGHAI_KEY.getPublic().getEncoded()),
            "kid", SourceHarness.SHANGHAI_KID));

    @Test
    void signedJson() {
        Fuzz.run("signedJson", signedCases(), c -> {
            check(SIGNED, SHANGHAI_SOURCE, SHANGHAI, c, signedOracle(c));
        });
    }

    @Test
    void carrierSms() {
        Fuzz.run("carrierSms", smsCases(), c -> {
            check(new CarrierSmsFamily(SourceHarness.CLOCK), settings("travel-card-sms", "carrier-sms", "00", Map.of()), SHAANXI, c,
                    decoded(c.payload().bytes(), c.payload().contentType(), Optional.empty()).flatMap(this::smsOracle));
        });
    }

    /** One gRPC reply: the status the call ended with and the (mutated) bytes of the message. */
    record GrpcCase(String status, byte[] message) {
        @Override
        public String toString() {
            return status + " " + java.util.HexFormat.of().formatHex(message);
        }
    }

    private static final NativeGrpcFamily NATIVE = new NativeGrpcFamily(SourceHarness.CLOCK);
    private static final SourceSettings SICHUAN_SOURCE = settings("sichuan-tfjkt", "tongxing-grpc", "51", Map.of());

    @Test
    void tongxingGrpc() {
        Fuzz.run("tongxingGrpc", grpcCases(), c -> {
            check(NATIVE, SICHUAN_SOURCE, SICHUAN, new UpstreamReply(200, UpstreamReply.GRPC_PROTO, c.message(), Optional.empty(), c.status()),
                    grpcOracle(c));
        });
    }

    private static void check(FormatFamily family, SourceSettings source, SourceQuery query, Case c, Optional<String> stated) {
        check(family, source, query, c.reply(), stated);
    }

    private static void check(FormatFamily family, SourceSettings source, SourceQuery query, UpstreamReply reply, Optional<String> stated) {
        SourceAnswer answer;
        try {
            answer = family.map(reply, query, source);
        } catch (RejectedAnswer rejected) {
            assertThat(rejected.getMessage()).startsWith(source.id() + ": ").doesNotContain(query.documentNumber());
            Fuzz.collect("rejected");
            return;
        }
        String outcome = switch (answer) {
            case SourceAnswer.HealthCode code -> {
                // Every family refuses an expired code.
                code.validUntil().ifPresent(until -> assertThat(until).as("validity of a mapped colour").isAfter(SourceHarness.NOW));
                yield code.colour().name();
            }
            case SourceAnswer.TravelCard card -> card.colour().name();
            case SourceAnswer.NotFound notFound -> "NOT_FOUND";
        };
        assertThat(stated).as("what the payload states").contains(outcome);
        Fuzz.collect(outcome);
    }

    private static SourceSettings settings(String id, String family, String province, Map<String, String> options) {
        return new SourceSettings(id, family, family.equals("travel-card-json") || family.equals("carrier-sms") ? SourceKind.TRAVEL_CARD : SourceKind.HEALTH_CODE,
                province, URI.create("http://127.0.0.1:1/"), Duration.ofMillis(500), ZoneId.of("Asia/Shanghai"), 64 * 1024, "", options);
    }

    // ---------------------------------------------------------------- generators

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static Case mutated(Random random, String text, String contentType, Charset charset, List<String> colours, String colourField) {
        Payload payload = Payload.of(text, contentType, charset);
        // One case in ten goes through unmutated, so the oracle also sees the answers that must map.
        return new Case(random.nextInt(10) == 0 ? payload : Mutations.mutate(payload, random, colours, Pattern.compile(colourField)), null);
    }

    Function<Random, Case> pinyinCases() {
        List<String> colours = concat(List.of("lvma", "huangma", "hongma"), JUNK);
        return (r -> mutated(r, r.nextInt(10) == 0 ? "{\"zt\":\"1\",\"xx\":\"未查询到该人员信息\",\"sj\":null}" : """
                {"zt":"0","xx":"成功","sj":{"xm":"王*","zjhm":"6101**********1234","mys":"%s","yy":"%s","yxq":"2022-01-04 23:59:59",
                 "gxsj":"2022-01-04 09:12:00","hsjc":{"jcjg":"%s","cysj":"2022-01-03 15:20:00"},"ymjz":{"jzzc":3,"zhjzrq":"2021-11-20","qc":"1"}}}
                """.formatted(pick(r, colours.subList(0, 3)), pick(r, List.of("", "密接")), pick(r, List.of("yinxing", "yangxing", "daijian"))),
                "application/json; charset=UTF-8", StandardCharsets.UTF_8, colours, "\"mys\"\\s*:\\s*\"([^\"]*)\""));
    }

    Function<Random, Case> travelCases() {
        List<String> colours = concat(List.of("green", "yellow", "orange", "red"), JUNK);
        return (r -> mutated(r, r.nextInt(10) == 0 ? "{\"code\":\"1001\",\"message\":\"no record\"}" : """
                {"code":"0","message":"success","result":{"msisdn":"138****8000","color":"%s","days":14,
                 "updateTime":"2022-01-04 09:00:00","cities":["陕西省西安市"%s]}}
                """.formatted(pick(r, colours.subList(0, 4)), pick(r, List.of("", ",\"广东省深圳市*\"", ",\"北京市\""))),
                "application/json; charset=UTF-8", StandardCharsets.UTF_8, colours, "\"color\"\\s*:\\s*\"([^\"]*)\""));
    }

    Function<Random, Case> envelopeCases() {
        List<String> colours = List.of("0", "1", "2", "3", "-1", "\"0\"", "0.5", "1.0", "true", "null", "1e0", "[0]");
        return (r -> mutated(r, r.nextInt(10) == 0 ? "{\"code\":404,\"msg\":\"未查询到该人员\",\"data\":null}" : """
                {"code":0,"msg":"ok","data":{"name":"陈*明","idNo":"4401**********123X","healthCode":%s,"reason":"%s",
                 "validTime":%d,"updateTime":1641258300000}}
                """.formatted(pick(r, colours.subList(0, 3)), pick(r, List.of("", "近14天内有中高风险地区旅居史")),
                        r.nextInt(6) == 0 ? 1641225599000L : 1641311999000L),
                "application/json; charset=UTF-8", StandardCharsets.UTF_8, colours, "\"healthCode\"\\s*:\\s*([^,}]*)"));
    }

    Function<Random, Case> xmlCases() {
        List<String> colours = concat(List.of("未见异常", "弹窗", "居家观察", "集中隔离", "红码"), JUNK);
        return (r -> {
            Charset charset = r.nextBoolean() ? Mutations.GBK : StandardCharsets.UTF_8;
            String declaration = switch (r.nextInt(3)) {
                case 0 -> "<?xml version=\"1.0\" encoding=\"" + charset.name() + "\"?>";
                case 1 -> "<?xml version=\"1.0\"?>";
                default -> "";
            };
            String contentType = r.nextBoolean() || declaration.isEmpty() || !declaration.contains("encoding")
                    ? pick(r, List.of("application/xml", "text/xml")) + "; charset=" + charset.name() : "application/xml";
            if (charset == StandardCharsets.UTF_8 && !contentType.contains("charset") && !declaration.contains("encoding")) {
                contentType = "application/xml";
            }
            String body = r.nextInt(10) == 0 ? declaration + "<response><resultCode>1</resultCode><resultMsg>未查询到</resultMsg></response>" : """
                    %s<response><resultCode>0</resultCode><resultMsg>查询成功</resultMsg><record><name>张*</name><certType>01</certType>
                    <certNo>1101**********0017</certNo><status>%s</status><statusNote>%s</statusNote>
                    <updateTime>2022年01月04日 09:00</updateTime><validTo>%s</validTo></record></response>
                    """.formatted(declaration, pick(r, colours.subList(0, 5)), pick(r, List.of("", "请48小时内完成核酸检测")),
                    r.nextInt(6) == 0 ? "2022年01月04日 09:29" : "2022年01月04日 23:59");
            return mutated(r, body, contentType, charset, colours, "<status>([^<]*)</status>");
        });
    }

    /** Signing is the costly part of generation; the unmutated payloads repeat, so their envelopes are signed once. */
    private static final Map<String, String> SIGNED_ENVELOPES = new java.util.concurrent.ConcurrentHashMap<>();

    Function<Random, Case> signedCases() {
        List<String> colours = concat(List.of("G", "Y", "R"), JUNK);
        Pattern colourField = Pattern.compile("\"color\"\\s*:\\s*\"([^\"]*)\"");
        return (r -> {
            String inner = r.nextInt(10) == 0
                    ? "{\"result\":\"NOT_FOUND\",\"issuedAt\":\"2022-01-04T09:29:30+08:00\",\"holder\":{\"name\":\"\",\"certType\":\"ID\",\"certNo\":\"3101**********0021\"}}"
                    : """
                    {"result":"FOUND","issuedAt":"2022-01-04T09:29:30+08:00","holder":{"name":"李*","certType":"ID","certNo":"3101**********0021"},
                     "code":{"color":"%s","reason":"","validFrom":"2022-01-04T00:00:00+08:00","validUntil":"%s"}}
                    """.formatted(pick(r, colours.subList(0, 3)), r.nextInt(6) == 0 ? "2022-01-04T09:00:00+08:00" : "2022-01-04T23:59:59+08:00");
            boolean mutateInner = r.nextInt(10) < 3;
            byte[] innerBytes = mutateInner
                    ? Mutations.mutate(Payload.of(inner, "", StandardCharsets.UTF_8), r, colours, colourField).bytes()
                    : inner.getBytes(StandardCharsets.UTF_8);
            String envelope = SIGNED_ENVELOPES.computeIfAbsent(new String(innerBytes, StandardCharsets.ISO_8859_1), k ->
                    new String(SignedJsonFamily.signedEnvelope(innerBytes, "ES256", SourceHarness.SHANGHAI_KID,
                            SourceHarness.SHANGHAI_KEY.getPrivate()), StandardCharsets.UTF_8));
            String signedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(innerBytes);
            Payload outer = Payload.of(envelope, "application/json", StandardCharsets.UTF_8);
            if (!mutateInner && r.nextInt(10) != 0) {
                outer = Mutations.mutate(outer, r, List.of("ES256", "Ed25519", "none", "", "HS256"), Pattern.compile("\"alg\"\\s*:\\s*\"([^\"]*)\""));
            }
            return new Case(outer, signedPayload);
        });
    }

    Function<Random, Case> smsCases() {
        List<String> colours = concat(List.of("绿色", "黄色", "橙色", "红色"), JUNK, List.of("绿码", "红", "绿色 ", "　绿色"));
        return (r -> mutated(r, r.nextInt(10) == 0
                        ? "【通信行程卡】尊敬的用户：您的手机号" + pick(r, List.of("138****8000", "138****8000", "139****8000")) + "未查询到前14天内的到访地信息。"
                        : "【通信行程卡】尊敬的用户：您的手机号%s于前%s天内到达或途经：%s。结果包含您在前%s天内到访的国内城市（*表示途经中高风险地区）。您的行程卡颜色为：%s。"
                        .formatted(pick(r, List.of("138****8000", "138****8000", "138****8001", "13800138000")), "14",
                                pick(r, List.of("陕西省西安市", "陕西省西安市*，广东省深圳市", "北京市、上海市＊")), pick(r, List.of("14", "14", "7")),
                                pick(r, colours.subList(0, 4))),
                "text/plain; charset=UTF-8", StandardCharsets.UTF_8, colours, "颜色为：([^。]*)"));
    }

    Function<Random, GrpcCase> grpcCases() {
        List<HealthCodeColour> colours = List.of(HealthCodeColour.GREEN, HealthCodeColour.YELLOW, HealthCodeColour.RED,
                HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED);
        return (r -> {
            int roll = r.nextInt(20);
            if (roll < 2) {
                return new GrpcCase(pick(r, List.of("NOT_FOUND", "UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED", "")), new byte[0]);
            }
            byte[] message = TravelerStatus.newBuilder()
                    .setMaskedName("王*")
                    .setMaskedDocumentNumber(pick(r, List.of("5101**********1234", "5101**********1234", "5101**********1235")))
                    .setDocumentType(DocumentType.RESIDENT_ID)
                    .setHealthCode(HealthCodeComponent.newBuilder()
                            .setColour(pick(r, colours))
                            .setIssuingProvince(pick(r, List.of("51", "51", "61")))
                            .setValidUntil(com.google.protobuf.Timestamp.newBuilder().setSeconds(r.nextInt(6) == 0 ? 1641259740L : 1641311999L))
                            .setUpdatedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(1641258000L))
                            .setProvenance(Provenance.newBuilder().setKind(r.nextInt(8) == 0 ? Provenance.Kind.UNAVAILABLE : Provenance.Kind.LIVE)))
                    .build().toByteArray();
            // Two cases in ten go through unmutated; the rest get byte flips or truncation.
            if (r.nextInt(10) >= 2) {
                message = r.nextInt(4) == 0 ? java.util.Arrays.copyOf(message, r.nextInt(message.length + 1))
                        : Mutations.mutate(new Payload("", "", StandardCharsets.UTF_8, message), r, List.of(), Pattern.compile("x")).bytes();
            }
            return new GrpcCase("OK", message);
        });
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    // ---------------------------------------------------------------- oracles: what a payload states

    /** The body as text in the charset its Content-Type declares (UTF-8 if none), or empty if it does not decode. */
    private static Optional<String> decoded(byte[] body, String contentType, Optional<String> prologEncoding) {
        Matcher m = Pattern.compile("(?i)charset=\"?([A-Za-z0-9._-]+)").matcher(contentType);
        try {
            Charset charset = m.find() ? Charset.forName(m.group(1)) : prologEncoding.map(Charset::forName).orElse(StandardCharsets.UTF_8);
            return Optional.of(charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static Optional<JsonNode> lenientJson(String text) {
        try {
            return Optional.ofNullable(Mutations.LENIENT.readTree(text));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private Optional<String> stated(Case c, java.util.function.Function<JsonNode, Optional<String>> oracle) {
        return decoded(c.payload().bytes(), c.payload().contentType(), Optional.empty()).flatMap(MapperFuzzTest::lenientJson).flatMap(oracle);
    }

    private static Optional<String> table(JsonNode node, Map<String, String> table) {
        return node != null && node.isTextual() ? Optional.ofNullable(table.get(node.textValue())) : Optional.empty();
    }

    private Optional<String> pinyinOracle(JsonNode root) {
        if (root.path("zt").isTextual() && root.path("zt").textValue().equals("1")) {
            return Optional.of("NOT_FOUND");
        }
        return table(root.path("sj").get("mys"), Map.of("lvma", "GREEN", "huangma", "YELLOW", "hongma", "RED"));
    }

    private Optional<String> travelOracle(JsonNode root) {
        if (root.path("code").isTextual() && root.path("code").textValue().equals("1001")) {
            return Optional.of("NOT_FOUND");
        }
        return table(root.path("result").get("color"),
                Map.of("green", "TRAVEL_GREEN", "yellow", "TRAVEL_YELLOW", "orange", "TRAVEL_ORANGE", "red", "TRAVEL_RED"));
    }

    private Optional<String> envelopeOracle(JsonNode root) {
        if (root.path("code").isInt() && root.path("code").intValue() == 404) {
            return Optional.of("NOT_FOUND");
        }
        JsonNode code = root.path("data").get("healthCode");
        if (code == null || !code.isInt()) {
            return Optional.empty();
        }
        return Optional.ofNullable(Map.of(0, "GREEN", 1, "YELLOW", 2, "RED").get(code.intValue()));
    }

    private static final Pattern PROLOG_ENCODING = Pattern.compile("^\\s*<\\?xml[^>]*encoding=\"([^\"]+)\"");

    private Optional<String> xmlOracle(Case c) {
        String head = new String(c.payload().bytes(), StandardCharsets.ISO_8859_1);
        Matcher prolog = PROLOG_ENCODING.matcher(head);
        Optional<String> text = decoded(c.payload().bytes(), c.payload().contentType(), prolog.find() ? Optional.of(prolog.group(1)) : Optional.empty());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.get().matches("(?s).*<resultCode>\\s*1\\s*</resultCode>.*")) {
            return Optional.of("NOT_FOUND");
        }
        Matcher status = Pattern.compile("<status>\\s*([^<]*?)\\s*</status>").matcher(text.get());
        List<String> labels = status.results().map(r -> r.group(1)).toList();
        if (labels.size() != 1) {
            return Optional.empty();
        }
        return Optional.ofNullable(Map.of("未见异常", "GREEN", "弹窗", "YELLOW", "居家观察", "YELLOW", "集中隔离", "RED", "红码", "RED")
                .get(labels.get(0)));
    }

    private static final Pattern SMS_NO_RECORD = Pattern.compile("手机号\\S{11}未查询到");
    private static final Pattern SMS_COLOUR = Pattern.compile("您的行程卡颜色为[：:]\\s*([^。\\s]+)");

    private Optional<String> smsOracle(String text) {
        if (SMS_NO_RECORD.matcher(text).find()) {
            return Optional.of("NOT_FOUND");
        }
        Matcher colour = SMS_COLOUR.matcher(text);
        return colour.find()
                ? Optional.ofNullable(Map.of("绿色", "TRAVEL_GREEN", "黄色", "TRAVEL_YELLOW", "橙色", "TRAVEL_ORANGE", "红色", "TRAVEL_RED")
                        .get(colour.group(1)))
                : Optional.empty();
    }

    private static Optional<String> grpcOracle(GrpcCase c) {
        if (c.status().equals("NOT_FOUND")) {
            return Optional.of("NOT_FOUND");
        }
        try {
            TravelerStatus status = TravelerStatus.parseFrom(c.message());
            return status.hasHealthCode() ? Optional.of(status.getHealthCode().getColour().name()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private Optional<String> signedOracle(Case c) {
        Optional<JsonNode> outer = decoded(c.payload().bytes(), c.payload().contentType(), Optional.empty()).flatMap(MapperFuzzTest::lenientJson);
        if (outer.isEmpty() || !outer.get().path("payload").asText("").equals(c.signedPayload())
                || !outer.get().path("alg").asText("").equals("ES256") || !outer.get().path("kid").asText("").equals(SourceHarness.SHANGHAI_KID)
                || !outer.get().path("sig").isTextual()) {
            return Optional.empty();
        }
        byte[] inner = Base64.getUrlDecoder().decode(c.signedPayload());
        Optional<JsonNode> root = decoded(inner, "", Optional.empty()).flatMap(MapperFuzzTest::lenientJson);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        if (root.get().path("result").asText("").equals("NOT_FOUND")) {
            return Optional.of("NOT_FOUND");
        }
        return table(root.get().path("code").get("color"), Map.of("G", "GREEN", "Y", "YELLOW", "R", "RED"));
    }
}
