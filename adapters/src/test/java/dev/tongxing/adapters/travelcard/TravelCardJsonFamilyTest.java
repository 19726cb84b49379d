package dev.tongxing.adapters.travelcard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.TestSources;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.TravelCardColour;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TravelCardJsonFamilyTest {

    private final TravelCardJsonFamily family = new TravelCardJsonFamily();
    private final SourceSettings source = TestSources.settings("travel-card", TravelCardJsonFamily.NAME, SourceKind.TRAVEL_CARD, "00");
    private final SourceQuery query = new SourceQuery(DocumentType.RESIDENT_ID, "61010219900108123X", "13800138000", "61");

    static String answer(String colour, String phone, String cities) {
        return """
                {"code":"0","message":"success","result":{"msisdn":"%s","color":"%s","days":14,
                 "updateTime":"2022-01-04 09:00:00","cities":[%s]}}
                """.formatted(phone, colour, cities);
    }

    @ParameterizedTest
    @CsvSource({"green,TRAVEL_GREEN", "yellow,TRAVEL_YELLOW", "orange,TRAVEL_ORANGE", "red,TRAVEL_RED"})
    void mapsEachColour(String colour, TravelCardColour expected) {
        SourceAnswer answer = family.map(TestSources.json(answer(colour, "138****8000", "\"陕西省西安市\"")), query, source);
        assertThat(answer).isInstanceOfSatisfying(SourceAnswer.TravelCard.class, card -> {
            assertThat(card.colour()).isEqualTo(expected);
            assertThat(card.windowDays()).isEqualTo(14);
            assertThat(card.updatedAt()).isEqualTo(Instant.parse("2022-01-04T01:00:00Z"));
        });
    }

    @Test
    void readsTheStarOnRiskyCities() {
        SourceAnswer answer = family.map(TestSources.json(answer("green", "138****8000", "\"陕西省西安市*\", \"广东省深圳市\", \"北京市 ＊\"")), query, source);
        assertThat(((SourceAnswer.TravelCard) answer).cities()).containsExactly(
                new SourceAnswer.City("陕西省西安市", true),
                new SourceAnswer.City("广东省深圳市", false),
                new SourceAnswer.City("北京市", true));
    }

    @Test
    void unknownNumberIsNotFound() {
        assertThat(family.map(TestSources.json("{\"code\":\"1001\",\"message\":\"no record\"}"), query, source))
                .isInstanceOf(SourceAnswer.NotFound.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "purple|\"西安市\"|travel-card: field 'result.color' has unknown colour 'purple'",
            "green|\"\"|travel-card: field 'result.cities[0]' is not a city name",
            "green|\"*\"|travel-card: field 'result.cities[0]' is not a city name",
            "green|42|travel-card: field 'result.cities[0]' is not a string",
            "green|\"<script>\"|travel-card: field 'result.cities[0]' is not a city name",
    })
    void rejectsMalformedAnswers(String colour, String cities, String reason) {
        assertThatThrownBy(() -> family.map(TestSources.json(answer(colour, "138****8000", cities)), query, source))
                .isInstanceOf(RejectedAnswer.class).hasMessage(reason);
    }

    @Test
    void rejectsAnotherPhoneNumbersCard() {
        assertThatThrownBy(() -> family.map(TestSources.json(answer("green", "139****1111", "\"西安市\"")), query, source))
                .hasMessage("travel-card: field 'result.msisdn' names a different phone number than the one asked for");
    }

    @Test
    void rejectsAnUnknownResultCode() {
        assertThatThrownBy(() -> family.map(TestSources.json("{\"code\":\"5000\",\"message\":\"busy\"}"), query, source))
                .hasMessage("travel-card: field 'code' has unknown value '5000'");
    }
}
