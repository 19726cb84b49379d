package dev.tongxing.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.TravelCardColour;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The national travel-history card (travel-card-json). */
class TravelCardContractTest extends SourceContract {

    private static final SourceQuery PHONE = new SourceQuery(DocumentType.RESIDENT_ID, "610102199001011234", "13800138000", "61");

    static String record(String colour, String cities) {
        return """
                {"code":"0","message":"success","result":{"msisdn":"138****8000","color":"%s","days":14,
                 "updateTime":"2022-01-04 09:00:00","cities":[%s]}}
                """.formatted(colour, cities);
    }

    @Override
    protected String sourceId() {
        return "travel-card";
    }

    @Override
    protected SourceQuery traveler() {
        return PHONE;
    }

    @Override
    protected ResponseDefinitionBuilder recorded() {
        return json(record("green", "\"陕西省西安市\""));
    }

    @Override
    protected ResponseDefinitionBuilder wrongCharset() {
        return ok("application/json; charset=UTF-8", record("green", "\"陕西省西安市\"").getBytes(Charset.forName("GBK")));
    }

    @Test
    void greenAtHome() {
        assertThat(answerTo(recorded())).isEqualTo(new SourceAnswer.TravelCard("travel-card", TravelCardColour.TRAVEL_GREEN,
                List.of(new SourceAnswer.City("陕西省西安市", false)), 14, "138****8000", Instant.parse("2022-01-04T01:00:00Z")));
    }

    @ParameterizedTest
    @CsvSource({"yellow, TRAVEL_YELLOW", "orange, TRAVEL_ORANGE", "red, TRAVEL_RED"})
    void otherColours(String wire, TravelCardColour colour) {
        assertThat(((SourceAnswer.TravelCard) answerTo(json(record(wire, "\"陕西省西安市\"")))).colour()).isEqualTo(colour);
    }

    @Test
    void starredCity() {
        SourceAnswer.TravelCard card = (SourceAnswer.TravelCard) answerTo(json(record("yellow", "\"陕西省西安市\",\"广东省深圳市*\"")));
        assertThat(card.cities()).containsExactly(new SourceAnswer.City("陕西省西安市", false), new SourceAnswer.City("广东省深圳市", true));
    }

    @Test
    void unknownNumberAndStrangers() {
        assertThat(answerTo(json("{\"code\":\"1001\",\"message\":\"no record\"}"))).isInstanceOf(SourceAnswer.NotFound.class);
        assertThat(failureOf(json(record("green", "\"陕西省西安市\"").replace("138****8000", "139****8000"))))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("result.msisdn");
        assertThat(failureOf(json(record("purple", "\"陕西省西安市\"")))).isInstanceOf(RejectedAnswer.class).hasMessageContaining("result.color");
    }
}
