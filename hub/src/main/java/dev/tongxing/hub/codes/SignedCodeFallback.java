package dev.tongxing.hub.codes;

import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.api.offline.SignedCode;
import dev.tongxing.api.offline.SignedCodeAnswers;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.hub.sources.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which word counts for the health code when a verified signed code is scanned: the province's
 * own answer whenever it gave one (live or cached, "no record" included); otherwise the signed
 * code, unless a stale answer the hub still holds is newer than the code.
 */
final class SignedCodeFallback {

    private SignedCodeFallback() {}

    static Observation choose(Observation province, SignedCode code, String sourceId, Instant now) {
        Provenance.Kind kind = province.provenance().getKind();
        if (kind == Provenance.Kind.LIVE || kind == Provenance.Kind.CACHED) {
            return province;
        }
        if (province.answer().orElse(null) instanceof SourceAnswer.NotFound) {
            return province;
        }
        if (kind == Provenance.Kind.STALE) {
            Instant staleFrom = now.minus(Duration.ofSeconds(province.provenance().getAge().getSeconds()));
            if (!staleFrom.isBefore(code.issuedAt())) {
                return province;
            }
        }
        String why = province.provenance().getReason().isEmpty() ? "the province gave no current answer" : province.provenance().getReason();
        Provenance provenance = SignedCodeAnswers.provenance(code, sourceId,
                why + "; answered from the code signed with key " + code.keyId(), now);
        SourceAnswer.HealthCode answer = new SourceAnswer.HealthCode(sourceId, code.colour(), "", Optional.of(code.expiresAt()),
                code.province(), code.issuedAt(), code.maskedName(), Optional.empty(), Optional.empty(), Optional.empty());
        return new Observation(Optional.of(answer), provenance);
    }
}
