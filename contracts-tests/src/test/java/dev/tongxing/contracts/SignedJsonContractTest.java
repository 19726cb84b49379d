package dev.tongxing.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.signedjson.SignedJsonFamily;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Shanghai's 随申码 (signed-json). */
class SignedJsonContractTest extends SourceContract {

    private static final SourceQuery RESIDENT = new SourceQuery(DocumentType.RESIDENT_ID, "310104199203150021", "", "31");

    static String payload(String certType, String certNo, String color, String validUntil) {
        return """
                {"result":"FOUND","issuedAt":"2022-01-04T09:29:30+08:00",
                 "holder":{"name":"李*","certType":"%s","certNo":"%s"},
                 "code":{"color":"%s","reason":"","validFrom":"2022-01-04T00:00:00+08:00","validUntil":"%s"}}
                """.formatted(certType, certNo, color, validUntil);
    }

    static byte[] signed(String payload, String kid) {
        return SignedJsonFamily.signedEnvelope(payload.getBytes(StandardCharsets.UTF_8), "ES256", kid,
                SourceHarness.SHANGHAI_KEY.getPrivate());
    }

    static ResponseDefinitionBuilder signedJson(String payload) {
        return ok("application/json", signed(payload, SourceHarness.SHANGHAI_KID));
    }

    @Override
    protected String sourceId() {
        return "shanghai-ssm";
    }

    @Override
    protected SourceQuery traveler() {
        return RESIDENT;
    }

    @Override
    protected ResponseDefinitionBuilder recorded() {
        return signedJson(payload("ID", "3101**********0021", "G", "2022-01-04T23:59:59+08:00"));
    }

    @Override
    protected ResponseDefinitionBuilder wrongCharset() {
        // The envelope is ASCII; declared as UTF-16 it decodes into nonsense or not at all.
        return ok("application/json; charset=UTF-16", signed(payload("ID", "3101**********0021", "G", "2022-01-04T23:59:59+08:00"),
                SourceHarness.SHANGHAI_KID));
    }

    @Test
    void verifiedGreen() {
        assertThat(answerTo(recorded())).isEqualTo(new SourceAnswer.HealthCode("shanghai-ssm", HealthCodeColour.GREEN, "",
                Optional.of(Instant.parse("2022-01-04T15:59:59Z")), "31", Instant.parse("2022-01-04T01:29:30Z"), "李*",
                Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest
    @CsvSource({"Y, YELLOW", "R, RED"})
    void yellowAndRed(String letter, HealthCodeColour colour) {
        assertThat(((SourceAnswer.HealthCode) answerTo(signedJson(payload("ID", "3101**********0021", letter,
                "2022-01-04T23:59:59+08:00")))).colour()).isEqualTo(colour);
    }

    @Test
    void expiredCode() {
        assertThat(failureOf(signedJson(payload("ID", "3101**********0021", "G", "2022-01-04T09:00:00+08:00"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("code.validUntil");
    }

    @Test
    void hongKongMacauPermitHolder() {
        SourceQuery permit = new SourceQuery(DocumentType.HK_MACAU_PERMIT, "H12345678", "", "31");
        assertThat(((SourceAnswer.HealthCode) answerTo(signedJson(payload("HKMO", "H1234*678", "G", "2022-01-04T23:59:59+08:00")),
                permit)).colour()).isEqualTo(HealthCodeColour.GREEN);
    }

    @Test
    void unsignedTamperedAndWrongKey() {
        String good = new String(signed(payload("ID", "3101**********0021", "R", "2022-01-04T23:59:59+08:00"), SourceHarness.SHANGHAI_KID),
                StandardCharsets.UTF_8);
        assertThat(failureOf(json(good.replaceAll("\"sig\":\"[^\"]*\",", "")))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("unsigned");
        String greenPayload = new String(signed(payload("ID", "3101**********0021", "G", "2022-01-04T23:59:59+08:00"), "x"),
                StandardCharsets.UTF_8).replaceAll(".*\"payload\":\"([^\"]*)\".*", "$1").strip();
        assertThat(failureOf(json(good.replaceAll("\"payload\":\"[^\"]*\"", "\"payload\":\"" + greenPayload + "\""))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("does not verify");
        assertThat(failureOf(ok("application/json", signed(payload("ID", "3101**********0021", "G", "2022-01-04T23:59:59+08:00"),
                "ssm-2021-12")))).isInstanceOf(RejectedAnswer.class).hasMessageContaining("kid");
        assertThat(failureOf(signedJson(payload("ID", "3101**********0022", "G", "2022-01-04T23:59:59+08:00"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("holder.certNo");
        // Signed or not, four revealed characters match every resident of the district.
        assertThat(failureOf(signedJson(payload("ID", "3101**************", "G", "2022-01-04T23:59:59+08:00"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("holder.certNo").hasMessageContaining("reveals only 4 characters");
    }
}
