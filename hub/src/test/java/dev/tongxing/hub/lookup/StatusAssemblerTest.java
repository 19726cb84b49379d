package dev.tongxing.hub.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TestFacts;
import dev.tongxing.api.v1.TravelCardColour;
import dev.tongxing.api.v1.Verdict.Decision;
import dev.tongxing.hub.config.PolicyProperties;
import dev.tongxing.hub.sources.Fetched;
import dev.tongxing.hub.sources.Observation;
import dev.tongxing.hub.verdict.VerdictPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusAssemblerTest {

    private static final Instant NOW = Instant.parse("2022-01-04T01:00:00Z");
    private static final VerdictPolicy POLICY = new VerdictPolicy("default", new PolicyProperties(true, false, null, null));
    private final SourceQuery query = new SourceQuery(DocumentType.RESIDENT_ID, "61010219900108123X", "13800138000", "61");

    private static SourceAnswer.HealthCode health(HealthCodeColour colour) {
        return new SourceAnswer.HealthCode("shaanxi-ymt", colour, "", Optional.of(NOW.plusSeconds(3600)), "61", NOW.minusSeconds(60),
                "张*三", Optional.of(new SourceAnswer.NucleicAcidTest(TestFacts.Result.NEGATIVE, NOW.minusSeconds(7200))), Optional.empty());
    }

    private static SourceAnswer.TravelCard card(TravelCardColour colour) {
        return new SourceAnswer.TravelCard("travel-card", colour, List.of(new SourceAnswer.City("陕西省西安市", false)), 14, "138****8000", NOW);
    }

    @Test
    void mergesBothSourcesWithTheirOwnProvenance() {
        var status = StatusAssembler.assemble(query,
                Observation.live(new Fetched(health(HealthCodeColour.GREEN), NOW), "shaanxi-ymt"),
                Observation.cached(new Fetched(card(TravelCardColour.TRAVEL_GREEN), NOW.minusSeconds(30)), "travel-card", Duration.ofSeconds(30)),
                POLICY, NOW);
        assertThat(status.getMaskedName()).isEqualTo("张*三");
        assertThat(status.getMaskedDocumentNumber()).isEqualTo("6101**********123X");
        assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
        assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.LIVE);
        assertThat(status.getTravelCard().getColour()).isEqualTo(TravelCardColour.TRAVEL_GREEN);
        assertThat(status.getTravelCard().getProvenance().getKind()).isEqualTo(Provenance.Kind.CACHED);
        assertThat(status.getTravelCard().getProvenance().getAge().getSeconds()).isEqualTo(30);
        assertThat(status.getTest().getResult()).isEqualTo(TestFacts.Result.NEGATIVE);
        assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.PASS);
    }

    @Test
    void aFailedSourceLeavesItsComponentWithoutAColour() {
        var status = StatusAssembler.assemble(query,
                Observation.unavailable("shaanxi-ymt", "shaanxi-ymt: no answer within 800 ms"),
                Observation.live(new Fetched(card(TravelCardColour.TRAVEL_GREEN), NOW), "travel-card"),
                POLICY, NOW);
        assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED);
        assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.UNAVAILABLE);
        assertThat(status.getHealthCode().getProvenance().getReason()).isEqualTo("shaanxi-ymt: no answer within 800 ms");
        assertThat(status.getTravelCard().getColour()).isEqualTo(TravelCardColour.TRAVEL_GREEN);
        assertThat(status.hasTest()).isFalse();
        assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.CHECK_MANUALLY);
    }

    @Test
    void anAnswerOfTheWrongKindNeverColoursAComponent() {
        var status = StatusAssembler.assemble(query,
                Observation.live(new Fetched(card(TravelCardColour.TRAVEL_GREEN), NOW), "travel-card"),
                Observation.live(new Fetched(health(HealthCodeColour.GREEN), NOW), "shaanxi-ymt"),
                POLICY, NOW);
        assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED);
        assertThat(status.getTravelCard().getColour()).isEqualTo(TravelCardColour.TRAVEL_CARD_COLOUR_UNSPECIFIED);
    }

    @Test
    void noRecordIsUnavailableWithTheSourcesReason() {
        var status = StatusAssembler.assemble(query,
                Observation.live(new Fetched(new SourceAnswer.NotFound("shaanxi-ymt", "shaanxi-ymt: no record for this traveler"), NOW), "shaanxi-ymt"),
                Observation.live(new Fetched(card(TravelCardColour.TRAVEL_RED), NOW), "travel-card"),
                POLICY, NOW);
        assertThat(status.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.UNAVAILABLE);
        assertThat(status.getHealthCode().getProvenance().getReason()).isEqualTo("shaanxi-ymt: no record for this traveler");
        assertThat(status.getVerdict().getDecision()).isEqualTo(Decision.STOP);
    }
}
