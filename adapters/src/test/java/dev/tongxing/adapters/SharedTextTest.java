package dev.tongxing.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.TravelCardColour;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cached answers share one String per repeated text instead of holding a copy each. */
class SharedTextTest {

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
    void aFullSetKeepsNewTextsAsTheyAreAndStopsGrowing() {
        SharedText texts = new SharedText(2);
        texts.of("a");
        texts.of("b");
        String third = new String("c");

        assertThat(texts.of(third)).isSameAs(third);
        assertThat(texts.of(new String("c"))).isNotSameAs(third);
        assertThat(texts.size()).isEqualTo(2);
        assertThat(texts.of(new String("a"))).isSameAs(texts.of("a"));
        assertThat(texts.of("")).isEmpty();
        assertThat(texts.of(null)).isNull();
    }

    private static SourceAnswer.HealthCode code(String maskedName, String reason) {
        return new SourceAnswer.HealthCode("shaanxi-ymt", HealthCodeColour.GREEN, reason, Optional.empty(), "61", Instant.EPOCH,
                maskedName, Optional.empty(), Optional.empty());
    }
}
