package dev.tongxing.adapters.signedjson;

import static dev.tongxing.adapters.TestSources.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.TestSources;
import dev.tongxing.api.v1.HealthCodeColour;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignedJsonFamilyTest {

    private static final String NUMBER = "310104199203150021";
    private static final SourceQuery QUERY = TestSources.resident(NUMBER);
    private static final KeyPair EC = generate("EC");
    private static final KeyPair ED = generate("Ed25519");
    private static final SourceSettings SOURCE = TestSources.settings("shanghai-ssm", "signed-json", "31",
            Map.of("public-key", pem(EC), "kid", "ssm-2022-01"));

    private final SignedJsonFamily family = new SignedJsonFamily(TestSources.CLOCK);

    static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    static String payload(String color, String validFrom, String validUntil) {
        return """
                {"result":"FOUND","issuedAt":"2022-01-04T09:25:00+08:00",
                 "holder":{"name":"李*","certType":"ID","certNo":"3101**********0021"},
                 "code":{"color":"%s","reason":"","validFrom":"%s","validUntil":"%s"}}
                """.formatted(color, validFrom, validUntil);
    }

    static String payload(String color) {
        return payload(color, "2022-01-04T00:00:00+08:00", "2022-01-04T23:59:59+08:00");
    }

    static String signed(String payload, KeyPair key, String alg, String kid) {
        return new String(SignedJsonFamily.signedEnvelope(payload.getBytes(StandardCharsets.UTF_8), alg, kid, key.getPrivate()),
                StandardCharsets.UTF_8);
    }

    private SourceAnswer map(String envelope) {
        return family.map(json(envelope), QUERY, SOURCE);
    }

    @ParameterizedTest
    @CsvSource({"G, GREEN", "Y, YELLOW", "R, RED"})
    void mapsVerifiedColours(String letter, HealthCodeColour colour) {
        SourceAnswer.HealthCode answer = (SourceAnswer.HealthCode) map(signed(payload(letter), EC, "ES256", "ssm-2022-01"));
        assertThat(answer.colour()).isEqualTo(colour);
        assertThat(answer.validUntil()).contains(Instant.parse("2022-01-04T15:59:59Z"));
        assertThat(answer.updatedAt()).isEqualTo(Instant.parse("2022-01-04T01:25:00Z"));
        assertThat(answer.maskedName()).isEqualTo("李*");
    }

    @Test
    void verifiesEd25519WhenConfigured() {
        SourceSettings ed = TestSources.settings("shanghai-ssm", "signed-json", "31",
                Map.of("public-key", Base64.getEncoder().encodeToString(ED.getPublic().getEncoded()), "kid", "k2", "alg", "Ed25519"));
        SourceAnswer.HealthCode answer = (SourceAnswer.HealthCode) family.map(json(signed(payload("R"), ED, "Ed25519", "k2")), QUERY, ed);
        assertThat(answer.colour()).isEqualTo(HealthCodeColour.RED);
    }

    @Test
    void signedNotFound() {
        String notFound = "{\"result\":\"NOT_FOUND\",\"issuedAt\":\"2022-01-04T09:25:00+08:00\","
                + "\"holder\":{\"name\":\"\",\"certType\":\"ID\",\"certNo\":\"3101**********0021\"}}";
        assertThat(map(signed(notFound, EC, "ES256", "ssm-2022-01"))).isInstanceOf(SourceAnswer.NotFound.class);
    }

    @Test
    void rejectsUnsignedTamperedWrongKidAndWrongAlgorithm() {
        String good = signed(payload("R"), EC, "ES256", "ssm-2022-01");
        String unsigned = good.replaceAll("\"sig\":\"[^\"]*\",", "");
        assertThatThrownBy(() -> map(unsigned)).isInstanceOf(RejectedAnswer.class).hasMessageContaining("unsigned");
        assertThatThrownBy(() -> map(good.replace("\"ES256\"", "\"none\""))).isInstanceOf(RejectedAnswer.class).hasMessageContaining("unsigned");
        String greenPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(payload("G").getBytes(StandardCharsets.UTF_8));
        String tampered = good.replaceAll("\"payload\":\"[^\"]*\"", "\"payload\":\"" + greenPayload + "\"");
        assertThatThrownBy(() -> map(tampered)).isInstanceOf(RejectedAnswer.class).hasMessageContaining("does not verify");
        assertThatThrownBy(() -> map(signed(payload("G"), EC, "ES256", "ssm-2021-12"))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("field 'kid'");
        assertThatThrownBy(() -> map(signed(payload("G"), ED, "Ed25519", "ssm-2022-01"))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("field 'alg'");
        assertThatThrownBy(() -> map(signed(payload("G"), generate("EC"), "ES256", "ssm-2022-01"))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("does not verify");
    }

    @ParameterizedTest
    @ValueSource(strings = {"g", "GREEN", "", "B"})
    void rejectsUnknownColours(String letter) {
        assertThatThrownBy(() -> map(signed(payload(letter), EC, "ES256", "ssm-2022-01")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("code.color");
    }

    @Test
    void rejectsCodesOutsideTheirValidityAndReplays() {
        assertThatThrownBy(() -> map(signed(payload("G", "2022-01-03T00:00:00+08:00", "2022-01-03T23:59:59+08:00"), EC, "ES256", "ssm-2022-01")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("code.validUntil");
        assertThatThrownBy(() -> map(signed(payload("G", "2022-01-05T00:00:00+08:00", "2022-01-05T23:59:59+08:00"), EC, "ES256", "ssm-2022-01")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("code.validFrom");
        assertThatThrownBy(() -> map(signed(payload("G", "2022-01-04T00:00:00", "2022-01-04T23:59:59"), EC, "ES256", "ssm-2022-01")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("validFrom");
        String old = payload("G").replace("2022-01-04T09:25:00+08:00", "2022-01-04T09:00:00+08:00");
        assertThatThrownBy(() -> map(signed(old, EC, "ES256", "ssm-2022-01")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("issuedAt");
    }

    @Test
    void rejectsAnotherTraveler() {
        SourceQuery other = TestSources.resident("310104199203150022");
        assertThatThrownBy(() -> family.map(json(signed(payload("G"), EC, "ES256", "ssm-2022-01")), other, SOURCE))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("holder.certNo").hasMessageNotContaining("310104199203150022");
    }

    @Test
    void rejectsAMisconfiguredKey() {
        SourceSettings broken = TestSources.settings("shanghai-ssm", "signed-json", "31", Map.of("public-key", "not a key", "kid", "ssm-2022-01"));
        assertThatThrownBy(() -> family.map(json(signed(payload("G"), EC, "ES256", "ssm-2022-01")), QUERY, broken))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("option 'public-key'");
    }
}
