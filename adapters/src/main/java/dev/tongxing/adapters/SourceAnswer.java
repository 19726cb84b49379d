package dev.tongxing.adapters;

import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.TestFacts;
import dev.tongxing.api.v1.TravelCardColour;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A source's answer after strict mapping: one of a few well-formed shapes, never a guess. */
public sealed interface SourceAnswer {

    /**
     * How old the source itself said this answer was, when it served it from its own cache or
     * store instead of asking its system of record for this request; empty for a live answer. The
     * hub never labels such an answer LIVE or CACHED: it is served STALE, its age counted from
     * this, so that the verdict's rules for stale data apply.
     */
    default Optional<Duration> upstreamAge() {
        return Optional.empty();
    }

    /** The source does not know this traveler. Cached briefly; never turned into a colour. */
    record NotFound(String sourceId, String reason) implements SourceAnswer {}

    /**
     * A province's health code, with the test and vaccination facts it chose to supply.
     *
     * @param upstreamAge see {@link SourceAnswer#upstreamAge()}; empty when the province answered live
     */
    record HealthCode(
            String sourceId,
            HealthCodeColour colour,
            String reason,
            Optional<Instant> validUntil,
            String issuingProvince,
            Instant updatedAt,
            String maskedName,
            Optional<NucleicAcidTest> test,
            Optional<Vaccination> vaccination,
            Optional<Duration> upstreamAge) implements SourceAnswer {

        public HealthCode {
            Objects.requireNonNull(colour, "colour");
            if (colour == HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED || colour == HealthCodeColour.UNRECOGNIZED) {
                throw new IllegalArgumentException("a health-code answer needs a stated colour");
            }
            reason = reason == null ? "" : SharedValues.REASONS.of(reason);
            issuingProvince = ProvinceCodes.shared(issuingProvince);
            maskedName = maskedName == null ? "" : SharedValues.MASKED_NAMES.of(maskedName);
            upstreamAge = upstreamAge == null ? Optional.empty() : upstreamAge;
            if (upstreamAge.isPresent() && upstreamAge.get().isNegative()) {
                throw new IllegalArgumentException("an answer's upstream age cannot be negative");
            }
        }

        /** A health code the province answered live. */
        public HealthCode(String sourceId, HealthCodeColour colour, String reason, Optional<Instant> validUntil, String issuingProvince,
                          Instant updatedAt, String maskedName, Optional<NucleicAcidTest> test, Optional<Vaccination> vaccination) {
            this(sourceId, colour, reason, validUntil, issuingProvince, updatedAt, maskedName, test, vaccination, Optional.empty());
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

        /** Cards listing at most this many cities share one list with every card listing the same. */
        public static final int SHARED_CITY_LIST_LENGTH = 8;

        public TravelCard {
            Objects.requireNonNull(colour, "colour");
            if (colour == TravelCardColour.TRAVEL_CARD_COLOUR_UNSPECIFIED || colour == TravelCardColour.UNRECOGNIZED) {
                throw new IllegalArgumentException("a travel-card answer needs a stated colour");
            }
            cities = SharedValues.cities(cities);
        }
    }

    record City(String name, boolean starred) {

        public City {
            name = SharedValues.CITY_NAMES.of(name);
        }
    }
}
