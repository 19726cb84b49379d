package dev.tongxing.hub.lookup;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.adapters.Masking;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.HealthCodeComponent;
import dev.tongxing.api.v1.TestFacts;
import dev.tongxing.api.v1.TravelCardComponent;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.VaccinationFacts;
import dev.tongxing.api.v1.VisitedCity;
import dev.tongxing.hub.sources.Observation;
import dev.tongxing.hub.verdict.VerdictPolicy;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Merges the observations of a traveler's sources into one {@link TravelerStatus}. A component
 * gets a colour only from an answer of its own kind; everything else leaves it UNAVAILABLE.
 */
final class StatusAssembler {

    private StatusAssembler() {}

    static TravelerStatus assemble(SourceQuery query, Observation health, Observation card, VerdictPolicy policy, Instant now) {
        TravelerStatus.Builder status = TravelerStatus.newBuilder()
                .setDocumentType(query.documentType())
                .setMaskedDocumentNumber(Masking.mask(query.documentNumber()))
                .setAsOf(timestamp(now));

        HealthCodeComponent.Builder code = HealthCodeComponent.newBuilder()
                .setIssuingProvince(query.province())
                .setProvenance(health.provenance());
        if (health.answer().orElse(null) instanceof SourceAnswer.HealthCode answer) {
            code.setColour(answer.colour())
                    .setReason(answer.reason())
                    .setIssuingProvince(answer.issuingProvince())
                    .setUpdatedAt(timestamp(answer.updatedAt()));
            answer.validUntil().ifPresent(until -> code.setValidUntil(timestamp(until)));
            status.setMaskedName(answer.maskedName());
            answer.test().ifPresent(test -> status.setTest(TestFacts.newBuilder()
                    .setResult(test.result())
                    .setSampledAt(timestamp(test.sampledAt()))
                    .setProvenance(health.provenance())));
            answer.vaccination().ifPresent(vaccination -> {
                VaccinationFacts.Builder facts = VaccinationFacts.newBuilder()
                        .setDoses(vaccination.doses())
                        .setCourseComplete(vaccination.courseComplete())
                        .setProvenance(health.provenance());
                vaccination.lastDose().ifPresent(day -> facts.setLastDoseAt(timestamp(day.atStartOfDay(ZoneOffset.ofHours(8)).toInstant())));
                status.setVaccination(facts);
            });
        }
        status.setHealthCode(code);

        TravelCardComponent.Builder travel = TravelCardComponent.newBuilder().setProvenance(card.provenance());
        if (!query.phoneNumber().isEmpty()) {
            travel.setMaskedPhone(Masking.maskPhone(query.phoneNumber()));
        }
        if (card.answer().orElse(null) instanceof SourceAnswer.TravelCard answer) {
            travel.setColour(answer.colour())
                    .setWindowDays(answer.windowDays())
                    .setMaskedPhone(answer.maskedPhone())
                    .setUpdatedAt(timestamp(answer.updatedAt()));
            answer.cities().forEach(city -> travel.addCities(VisitedCity.newBuilder().setName(city.name()).setStarred(city.starred())));
        }
        status.setTravelCard(travel);

        TravelerStatus merged = status.build();
        // Least data: the verdict reads the itinerary; the checkpoint gets the verdict, not the cities.
        return merged.toBuilder()
                .setVerdict(policy.decide(merged, now))
                .setTravelCard(merged.getTravelCard().toBuilder().clearCities())
                .build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamps.fromMillis(instant.toEpochMilli());
    }
}
