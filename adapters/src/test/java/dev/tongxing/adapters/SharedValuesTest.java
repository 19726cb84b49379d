package dev.tongxing.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.TravelCardColour;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Cached answers share one instance per repeated text, city and short city list instead of holding a copy each. */
class SharedValuesTest {

    @Test
    void answersShareTheirCityNamesMaskedNamesAndReasons() {
        SourceAnswer.HealthCode first = code(new String("张*"), new String("核酸阴性"));
        SourceAnswer.HealthCode second = code(new String("张*"), new String("核酸阴性"));
        SourceAnswer.TravelCard card = new SourceAnswer.TravelCard("travel-card", TravelCardColour.TRAVEL_GREEN,
                List.of(new SourceAnswer.City(new String("西安市"), false)), 14, "138****0000", Instant.EPOCH);
        SourceAnswer.TravelCard other = new SourceAnswer.TravelCard("travel-card", TravelCardColour.TRAVEL_GREEN,
                List.of(new SourceAnswer.City(new String("西安市"), true)), 14, "139****0000", Instant.EPOCH);

        assertThat(second.maskedName()).isEqualTo("张*").isSameAs(first.maskedName());
        assertThat(second.reason()).isEqualTo("核酸阴性").isSameAs(first.reason());
        assertThat(other.cities().get(0).name()).isEqualTo("西安市").isSameAs(card.cities().get(0).name());
    }

    @Test
    void cardsShareTheirCitiesAndShortCityLists() {
        SourceAnswer.TravelCard first = card(List.of(city("西安市", true), city("咸阳市", false)));
        SourceAnswer.TravelCard second = card(List.of(city("西安市", true), city("咸阳市", false)));
        SourceAnswer.TravelCard reordered = card(List.of(city("咸阳市", false), city("西安市", true)));

        assertThat(second.cities()).isEqualTo(first.cities()).isSameAs(first.cities());
        assertThat(reordered.cities()).containsExactly(city("咸阳市", false), city("西安市", true)).isNotSameAs(first.cities());
        assertThat(reordered.cities().get(1)).isSameAs(first.cities().get(0));
        assertThat(first.cities().get(0)).isNotEqualTo(first.cities().get(1));
    }

    @Test
    void longCityListsAreKeptUnsharedButStillHoldSharedCities() {
        List<SourceAnswer.City> many = IntStream.range(0, SourceAnswer.TravelCard.SHARED_CITY_LIST_LENGTH + 1)
                .mapToObj(i -> city("城" + (char) ('甲' + i), false)).toList();
        SourceAnswer.TravelCard first = card(many);
        SourceAnswer.TravelCard second = card(many);

        assertThat(second.cities()).isEqualTo(first.cities()).isNotSameAs(first.cities());
        assertThat(second.cities().get(3)).isSameAs(first.cities().get(3));
        assertThatThrownBy(() -> second.cities().add(city("西安市", false))).isInstanceOf(UnsupportedOperationException.class);
    }

    private static SourceAnswer.City city(String name, boolean starred) {
        return new SourceAnswer.City(new String(name), starred);
    }

    private static SourceAnswer.TravelCard card(List<SourceAnswer.City> cities) {
        return new SourceAnswer.TravelCard("travel-card", TravelCardColour.TRAVEL_GREEN, new ArrayList<>(cities), 14,
                "138****0000", Instant.EPOCH);
    }

    @Test
    void aFullSetKeepsNewTextsAsTheyAreAndStopsGrowing() {
        SharedValues<String> texts = new SharedValues<>(2);
        texts.of("a");
        texts.of("b");
        String third = new String("c");

        assertThat(texts.of(third)).isSameAs(third);
        assertThat(texts.of(new String("c"))).isNotSameAs(third);
        assertThat(texts.size()).isEqualTo(2);
        assertThat(texts.of(new String("a"))).isSameAs(texts.of("a"));
        assertThat(texts.of(null)).isNull();
    }

    private static SourceAnswer.HealthCode code(String maskedName, String reason) {
        return new SourceAnswer.HealthCode("shaanxi-ymt", HealthCodeColour.GREEN, reason, Optional.empty(), "61", Instant.EPOCH,
                maskedName, Optional.empty(), Optional.empty());
    }
}
