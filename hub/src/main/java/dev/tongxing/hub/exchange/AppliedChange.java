package dev.tongxing.hub.exchange;

import dev.tongxing.api.v1.HealthCodeColour;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated status change as the store keeps it: the traveler only by pseudonym.
 *
 * @param province  GB/T 2260 code of the publishing (and issuing) province
 * @param changeId  the province's idempotency key
 * @param pseudonym {@link TravelerPseudonyms keyed pseudonym} of the traveler
 * @param changedAt when the province made the change, if it said
 * @param appliedAt when the hub applied it
 */
public record AppliedChange(
        String province,
        String changeId,
        String pseudonym,
        long version,
        HealthCodeColour colour,
        String reason,
        Optional<Instant> validUntil,
        Optional<Instant> changedAt,
        Instant appliedAt) {

    public AppliedChange {
        Objects.requireNonNull(province, "province");
        Objects.requireNonNull(changeId, "changeId");
        Objects.requireNonNull(pseudonym, "pseudonym");
        Objects.requireNonNull(colour, "colour");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(appliedAt, "appliedAt");
    }
}
