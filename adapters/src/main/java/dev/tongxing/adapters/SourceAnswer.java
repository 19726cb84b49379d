package dev.tongxing.adapters;

import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.TestFacts;
import dev.tongxing.api.v1.TravelCardColour;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A source's answer after strict mapping: one of a few well-formed shapes, never a guess. */
public sealed interface SourceAnswer {

    /** The source does not know this traveler. Cached briefly; never turned into a colour. */
    record NotFound(String sourceId, String reason) implements SourceAnswer {}

    /** A province's health code, with the test and vaccination facts it chose to supply. */
    record HealthCode(
            String sourceId,
            HealthCodeColour colour,
            String reason,
            Optional<Instant> validUntil,
            String issuingProvince,
            Instant updatedAt,
            String maskedName,
            Optional<NucleicAcidTest> test,
            Optional<Vaccination> vaccination) implements SourceAnswer {

        public HealthCode {
            Objects.requireNonNull(colour, "colour");
            if (colour == HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED || colour == HealthCodeColour.UNRECOGNIZED) {
                throw new IllegalArgumentException("a health-code answer needs a stated colour");
            }
            reason = reason == null ? "" : reason;
            maskedName = maskedName == null ? "" : maskedName;
        }
    }

    record NucleicAcidTest(TestFacts.Result result, Instant sampledAt) {}

    record Vaccination(int doses, Optional<LocalDate> lastDose, boolean courseComplete) {}

    /** The national travel-history card. */
    record TravelCard(
            String sourceId,
            TravelCardColour colour,
            List<City> cities,
            int windowDays,
            String maskedPhone,
            Instant updatedAt) implements SourceAnswer {

        public TravelCard {
            Objects.requireNonNull(colour, "colour");
            if (colour == TravelCardColour.TRAVEL_CARD_COLOUR_UNSPECIFIED || colour == TravelCardColour.UNRECOGNIZED) {
                throw new IllegalArgumentException("a travel-card answer needs a stated colour");
            }
            cities = List.copyOf(cities);
        }
    }

    record City(String name, boolean starred) {}
}
