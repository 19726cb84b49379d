package dev.tongxing.hub.verdict;

import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TestFacts;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.Verdict;
import dev.tongxing.api.v1.VisitedCity;
import dev.tongxing.hub.config.PolicyProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides PASS / CHECK_MANUALLY / STOP from the components and their provenance. The rules are
 * fixed and ordered by severity; what varies per checkpoint is data ({@link PolicyProperties}).
 * Missing or degraded data never passes unless the policy explicitly accepts stale answers, and
 * only an explicit GREEN health code (and, where the card is required, an explicit TRAVEL_GREEN
 * card) can pass: an unspecified colour fails closed to CHECK_MANUALLY.
 */
public record VerdictPolicy(String id, PolicyProperties rules) {

    public Verdict decide(TravelerStatus status, Instant now) {
        List<String> stop = new ArrayList<>();
        List<String> check = new ArrayList<>();

        var code = status.getHealthCode();
        if (!usable(code.getProvenance())) {
            check.add("health code unavailable: " + code.getProvenance().getReason());
        } else {
            // Fail closed: only an explicit GREEN passes. An unspecified or unknown colour is not a
            // green code, whatever the provenance says.
            switch (code.getColour()) {
                case GREEN -> { }
                case RED -> stop.add("health code is red" + because(code.getReason()));
                case YELLOW -> check.add("health code is yellow" + because(code.getReason()));
                default -> check.add("health code colour is not stated");
            }
            if (code.hasValidUntil() && Timestamps.toMillis(code.getValidUntil()) < now.toEpochMilli()) {
                check.add("health code expired");
            }
            staleness(code.getProvenance(), "health code", check);
            signedCodeAge(code.getProvenance(), check);
        }

        var card = status.getTravelCard();
        if (!usable(card.getProvenance())) {
            if (rules.requireTravelCard()) {
                check.add("travel card unavailable: " + card.getProvenance().getReason());
            }
        } else {
            switch (card.getColour()) {
                case TRAVEL_RED -> stop.add("travel card is red");
                case TRAVEL_ORANGE -> check.add("travel card is orange");
                case TRAVEL_YELLOW -> check.add("travel card is yellow");
                case TRAVEL_GREEN -> { }
                // Where the card is required, only an explicit TRAVEL_GREEN may pass.
                default -> {
                    if (rules.requireTravelCard()) {
                        check.add("travel card colour is not stated");
                    }
                }
            }
            long starred = card.getCitiesList().stream().filter(VisitedCity::getStarred).count();
            if (starred > 0) {
                // No city names: the reason reaches the checkpoint, the itinerary must not.
                check.add("travel card starred: passed through " + starred + (starred == 1 ? " city" : " cities")
                        + " with medium- or high-risk areas");
            }
            staleness(card.getProvenance(), "travel card", check);
        }

        if (status.hasTest() && status.getTest().getResult() == TestFacts.Result.POSITIVE) {
            stop.add("nucleic-acid test positive");
        }
        if (rules.requireNegativeTestWithin() != null) {
            boolean recentNegative = status.hasTest()
                    && status.getTest().getResult() == TestFacts.Result.NEGATIVE
                    && Duration.between(Instant.ofEpochMilli(Timestamps.toMillis(status.getTest().getSampledAt())), now)
                            .compareTo(rules.requireNegativeTestWithin()) <= 0;
            if (!recentNegative) {
                check.add("no negative test within " + rules.requireNegativeTestWithin().toHours() + " h");
            }
        }

        Verdict.Builder verdict = Verdict.newBuilder().setPolicyId(id);
        if (!stop.isEmpty()) {
            return verdict.setDecision(Verdict.Decision.STOP).addAllReasons(stop).addAllReasons(check).build();
        }
        if (!check.isEmpty()) {
            return verdict.setDecision(Verdict.Decision.CHECK_MANUALLY).addAllReasons(check).build();
        }
        return verdict.setDecision(Verdict.Decision.PASS).build();
    }

    private static boolean usable(Provenance provenance) {
        return provenance.getKind() != Provenance.Kind.UNAVAILABLE && provenance.getKind() != Provenance.Kind.KIND_UNSPECIFIED;
    }

    private void staleness(Provenance provenance, String what, List<String> check) {
        if (provenance.getKind() == Provenance.Kind.STALE && !rules.acceptStale()) {
            check.add(what + " is stale (" + provenance.getAge().getSeconds() + " s old): " + provenance.getReason());
        }
    }

    /** A colour known only from a signed code passes only where the policy takes a code that old. */
    private void signedCodeAge(Provenance provenance, List<String> check) {
        if (provenance.getKind() != Provenance.Kind.SIGNED_TOKEN) {
            return;
        }
        Duration age = Duration.ofSeconds(provenance.getAge().getSeconds());
        if (rules.maxSignedCodeAge() == null) {
            check.add("health code known only from the signed code (" + hours(age) + " old); this checkpoint's policy takes no signed code on its own");
        } else if (age.compareTo(rules.maxSignedCodeAge()) > 0) {
            check.add("signed health code is " + hours(age) + " old; this checkpoint takes signed codes up to " + hours(rules.maxSignedCodeAge()));
        }
    }

    private static String hours(Duration duration) {
        return duration.toHours() > 0 ? duration.toHours() + " h " + duration.toMinutesPart() + " min" : duration.toMinutes() + " min";
    }

    private static String because(String reason) {
        return reason.isEmpty() ? "" : " (" + reason + ")";
    }
}
