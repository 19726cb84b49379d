package dev.tongxing.simulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongxing.adapters.signedjson.SignedJsonFamily;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shanghai's 随申码 as the {@code signed-json} family expects it: every answer signed with ES256.
 * It signs with the demo-only key in {@code demo-keys/shanghai-ssm-demo.pkcs8.b64}, whose public
 * half the hub's demo configuration trusts.
 */
final class ShanghaiSsm extends SimulatedProvince {

    static final String PATH = "/shanghai/ssm/api/v1/code";
    static final String KID = "ssm-demo-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final PrivateKey key = demoKey();

    ShanghaiSsm(SimulatedPopulation population, Clock clock, Runnable latency) {
        super("31", population, clock, latency);
    }

    private static PrivateKey demoKey() {
        try (InputStream in = ShanghaiSsm.class.getResourceAsStream("/demo-keys/shanghai-ssm-demo.pkcs8.b64")) {
            String base64 = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(line -> !line.startsWith("#")).reduce("", String::concat).strip();
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | NullPointerException e) {
            throw new IllegalStateException("the simulated Shanghai source cannot read its demo key", e);
        }
    }

    @Override
    Reply answer(byte[] request) {
        String number;
        String certType;
        try {
            JsonNode query = JSON.readTree(request);
            number = query == null ? "" : query.path("certNo").asText("");
            certType = query == null ? "" : query.path("certType").asText("");
        } catch (IOException e) {
            return new Reply(400, "application/json", "{\"error\":\"bad request\"}".getBytes(StandardCharsets.UTF_8));
        }
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(BEIJING_TIME)).truncatedTo(ChronoUnit.SECONDS);
        var traveler = certType.equals("ID") ? resident(number) : java.util.Optional.<SimulatedTraveler>empty();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("result", traveler.isPresent() ? "FOUND" : "NOT_FOUND");
        payload.put("issuedAt", now.format(ISO));
        payload.put("holder", Map.of("name", traveler.map(SimulatedTraveler::maskedName).orElse(""),
                "certType", certType, "certNo", maskNumber(number)));
        traveler.ifPresent(t -> {
            Map<String, Object> code = new LinkedHashMap<>();
            code.put("color", switch (t.healthColour()) {
                case "hongma" -> "R";
                case "huangma" -> "Y";
                default -> "G";
            });
            code.put("reason", t.reason());
            code.put("validFrom", now.truncatedTo(ChronoUnit.DAYS).format(ISO));
            code.put("validUntil", now.truncatedTo(ChronoUnit.DAYS).plusDays(1).minusSeconds(1).format(ISO));
            payload.put("code", code);
        });
        try {
            return new Reply(200, "application/json", SignedJsonFamily.signedEnvelope(JSON.writeValueAsBytes(payload), "ES256", KID, key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
