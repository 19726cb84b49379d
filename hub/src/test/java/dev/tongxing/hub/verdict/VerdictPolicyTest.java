package dev.tongxing.hub.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.HealthCodeComponent;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelCardColour;
import dev.tongxing.api.v1.TravelCardComponent;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.Verdict.Decision;
import dev.tongxing.api.v1.VisitedCity;
import dev.tongxing.hub.config.PolicyProperties;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerdictPolicyTest {

    private static final Instant NOW = Instant.parse("2022-01-04T01:00:00Z");
    private final VerdictPolicy strict = new VerdictPolicy("default", new PolicyProperties(true, false, null, null));
    private final VerdictPolicy venue = new VerdictPolicy("venue", new PolicyProperties(false, true, null, null));

    private static Provenance provenance(Provenance.Kind kind) {
        return Provenance.newBuilder().setKind(kind).setSourceId("s").setAge(Durations.fromSeconds(kind == Provenance.Kind.STALE ? 600 : 0))
                .setReason(kind == Provenance.Kind.UNAVAILABLE || kind == Provenance.Kind.STALE ? "s: no answer within 800 ms" : "").build();
    }

    private static TravelerStatus status(HealthCodeColour health, Provenance.Kind healthKind, TravelCardColour card, Provenance.Kind cardKind, boolean starred) {
        return TravelerStatus.newBuilder()
                .setHealthCode(HealthCodeComponent.newBuilder().setColour(health).setProvenance(provenance(healthKind)))
                .setTravelCard(TravelCardComponent.newBuilder().setColour(card).setProvenance(provenance(cardKind))
                        .addCities(VisitedCity.newBuilder().setName("陕西省西安市").setStarred(starred)))
                .build();
    }

    @Test
    void greenAndGreenPasses() {
        var verdict = strict.decide(status(HealthCodeColour.GREEN, Provenance.Kind.LIVE, TravelCardColour.TRAVEL_GREEN, Provenance.Kind.CACHED, false), NOW);
        assertThat(verdict.getDecision()).isEqualTo(Decision.PASS);
        assertThat(verdict.getReasonsList()).isEmpty();
    }

    @Test
    void redStopsWhateverElseIsTrue() {
        var verdict = strict.decide(status(HealthCodeColour.RED, Provenance.Kind.LIVE, TravelCardColour.TRAVEL_GREEN, Provenance.Kind.UNAVAILABLE, true), NOW);
        assertThat(verdict.getDecision()).isEqualTo(Decision.STOP);
        assertThat(verdict.getReasonsList()).contains("health code is red");
    }

    @Test
    void yellowOrStarredNeedsAPerson() {
        assertThat(strict.decide(status(HealthCodeColour.YELLOW, Provenance.Kind.LIVE, TravelCardColour.TRAVEL_GREEN, Provenance.Kind.LIVE, false), NOW).getDecision())
                .isEqualTo(Decision.CHECK_MANUALLY);
        var starred = strict.decide(status(HealthCodeColour.GREEN, Provenance.Kind.LIVE, TravelCardColour.TRAVEL_GREEN, Provenance.Kind.LIVE, true), NOW);
        assertThat(starred.getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
        assertThat(starred.getReasonsList()).containsExactly("travel card starred: passed through 1 city with medium- or high-risk areas");
    }

    @Test
    void missingDataNeverPasses() {
        var unavailable = strict.decide(status(HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED, Provenance.Kind.UNAVAILABLE,
                TravelCardColour.TRAVEL_GREEN, Provenance.Kind.LIVE, false), NOW);
        assertThat(unavailable.getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
        assertThat(unavailable.getReasonsList()).containsExactly("health code unavailable: s: no answer within 800 ms");
        var noCard = strict.decide(status(HealthCodeColour.GREEN, Provenance.Kind.LIVE,
                TravelCardColour.TRAVEL_CARD_COLOUR_UNSPECIFIED, Provenance.Kind.UNAVAILABLE, false), NOW);
        assertThat(noCard.getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
        var stale = strict.decide(status(HealthCodeColour.GREEN, Provenance.Kind.STALE, TravelCardColour.TRAVEL_GREEN, Provenance.Kind.LIVE, false), NOW);
        assertThat(stale.getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
        assertThat(stale.getReasonsList()).containsExactly("health code is stale (600 s old): s: no answer within 800 ms");
    }

    @Test
    void aPolicyMayAcceptStaleAndNoCard() {
        var verdict = venue.decide(status(HealthCodeColour.GREEN, Provenance.Kind.STALE,
                TravelCardColour.TRAVEL_CARD_COLOUR_UNSPECIFIED, Provenance.Kind.UNAVAILABLE, false), NOW);
        assertThat(verdict.getDecision()).isEqualTo(Decision.PASS);
        assertThat(verdict.getPolicyId()).isEqualTo("venue");
    }

    @Test
    void anExpiredCodeNeedsAPerson() {
        TravelerStatus expired = status(HealthCodeColour.GREEN, Provenance.Kind.LIVE, TravelCardColour.TRAVEL_GREEN, Provenance.Kind.LIVE, false);
        expired = expired.toBuilder().setHealthCode(expired.getHealthCode().toBuilder()
                .setValidUntil(Timestamps.fromMillis(NOW.minus(Duration.ofMinutes(1)).toEpochMilli()))).build();
        assertThat(strict.decide(expired, NOW).getReasonsList()).containsExactly("health code expired");
    }

    @Test
    void aSignedCodeAlonePassesOnlyWherePolicyTakesOneThatOld() {
        PolicyProperties venueRules = new PolicyProperties(false, true, null, Duration.ofHours(24));
        VerdictPolicy signedVenue = new VerdictPolicy("venue", venueRules);
        TravelerStatus young = signed(HealthCodeColour.GREEN, Duration.ofHours(3));
        TravelerStatus old = signed(HealthCodeColour.GREEN, Duration.ofHours(30));

        assertThat(signedVenue.decide(young, NOW).getDecision()).isEqualTo(Decision.PASS);
        var tooOld = signedVenue.decide(old, NOW);
        assertThat(tooOld.getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
        assertThat(tooOld.getReasonsList()).containsExactly("signed health code is 30 h 0 min old; this checkpoint takes signed codes up to 24 h 0 min");
        var airport = strict.decide(young, NOW);
        assertThat(airport.getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
        assertThat(airport.getReasonsList()).contains("health code known only from the signed code (3 h 0 min old); this checkpoint's policy takes no signed code on its own");
        // A red signed code stops everywhere, whatever the policy thinks of signed codes.
        assertThat(strict.decide(signed(HealthCodeColour.RED, Duration.ofHours(1)), NOW).getDecision()).isEqualTo(Decision.STOP);
    }

    private static TravelerStatus signed(HealthCodeColour colour, Duration age) {
        TravelerStatus status = status(colour, Provenance.Kind.SIGNED_TOKEN, TravelCardColour.TRAVEL_GREEN, Provenance.Kind.LIVE, false);
        return status.toBuilder().setHealthCode(status.getHealthCode().toBuilder().setProvenance(status.getHealthCode().getProvenance().toBuilder()
                .setAge(com.google.protobuf.util.Durations.fromSeconds(age.toSeconds())))).build();
    }

    @Test
    void anUnspecifiedHealthColourNeverPasses() {
        for (Provenance.Kind kind : new Provenance.Kind[] {Provenance.Kind.LIVE, Provenance.Kind.CACHED, Provenance.Kind.SIGNED_TOKEN}) {
            var verdict = strict.decide(status(HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED, kind,
                    TravelCardColour.TRAVEL_GREEN, Provenance.Kind.LIVE, false), NOW);
            assertThat(verdict.getDecision()).as("%s", kind).isEqualTo(Decision.CHECK_MANUALLY);
            assertThat(verdict.getReasonsList()).first().isEqualTo("health code colour is not stated");
        }
        var unrecognised = TravelerStatus.newBuilder()
                .setHealthCode(HealthCodeComponent.newBuilder().setColourValue(42).setProvenance(provenance(Provenance.Kind.LIVE)))
                .setTravelCard(TravelCardComponent.newBuilder().setColour(TravelCardColour.TRAVEL_GREEN).setProvenance(provenance(Provenance.Kind.LIVE)))
                .build();
        assertThat(venue.decide(unrecognised, NOW).getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
    }

    @Test
    void aRequiredCardPassesOnlyWhenExplicitlyGreen() {
        var unspecified = strict.decide(status(HealthCodeColour.GREEN, Provenance.Kind.LIVE,
                TravelCardColour.TRAVEL_CARD_COLOUR_UNSPECIFIED, Provenance.Kind.LIVE, false), NOW);
        assertThat(unspecified.getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
        assertThat(unspecified.getReasonsList()).containsExactly("travel card colour is not stated");
        // A policy that does not require the card is not held up by a card without a colour.
        var optional = venue.decide(status(HealthCodeColour.GREEN, Provenance.Kind.LIVE,
                TravelCardColour.TRAVEL_CARD_COLOUR_UNSPECIFIED, Provenance.Kind.LIVE, false), NOW);
        assertThat(optional.getDecision()).isEqualTo(Decision.PASS);
    }
}
