package dev.tongxing.cli;

import dev.tongxing.api.offline.CodeRefused;
import dev.tongxing.api.offline.ProvinceKeys;
import dev.tongxing.api.offline.SignedCode;
import dev.tongxing.api.offline.SignedCodeAnswers;
import dev.tongxing.api.offline.SignedCodes;
import dev.tongxing.api.offline.TrustListRefused;
import dev.tongxing.api.offline.TrustLists;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.SignedTrustList;
import dev.tongxing.api.v1.TravelCardComponent;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TrustList;
import dev.tongxing.api.v1.Verdict;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint deciding with no hub: the trust list is checked against the ministry key, the
 * code against the list, and the answer has the hub's shape with SIGNED_TOKEN provenance. The
 * policy is the checkpoint's own: how old a signed code it takes ({@code --max-signed-age}).
 */
final class OfflineCheck {

    static final String POLICY = "offline";

    /** A presented document: its type and number, checked against the code's digest. */
    record Document(DocumentType type, String number) {}

    private OfflineCheck() {}

    /**
     * @throws TrustListRefused when the list cannot be trusted
     * @throws CodeRefused      when the code cannot be accepted, or the document is not the code's
     */
    static TravelerStatus decide(SignedTrustList signed, ECPublicKey ministry, String payload, Optional<Document> document,
                                 Duration maxAge, Instant now) {
        TrustList list = TrustLists.verify(signed, ministry, now);
        ProvinceKeys keys = ProvinceKeys.from(list);
        SignedCode code = SignedCodes.verify(payload.strip(), keys, now);
        if (document.isPresent() && !code.document().matches(document.get().type(), document.get().number())) {
            throw new CodeRefused("the presented document is not the one this code was issued for (the code's document digest does not match)");
        }
        String sourceId = keys.get(code.keyId()).orElseThrow().sourceId();
        Instant listIssued = Instant.ofEpochSecond(list.getIssuedAt().getSeconds());
        Provenance provenance = SignedCodeAnswers.provenance(code, sourceId,
                "verified offline with the trust list issued " + listIssued + "; no hub or province was asked", now);
        TravelerStatus status = TravelerStatus.newBuilder()
                .setMaskedName(code.maskedName())
                .setDocumentType(document.map(Document::type).orElse(DocumentType.DOCUMENT_TYPE_UNSPECIFIED))
                .setHealthCode(SignedCodeAnswers.healthCode(code, provenance))
                .setTravelCard(TravelCardComponent.newBuilder().setProvenance(Provenance.newBuilder()
                        .setKind(Provenance.Kind.UNAVAILABLE).setReason("not asked: offline")))
                .setAsOf(SignedCodeAnswers.timestamp(now))
                .setScannedCode(SignedCodeAnswers.scanned(code, document.isPresent()))
                .build();
        return status.toBuilder().setVerdict(verdict(code, maxAge, now)).build();
    }

    /** The hub's rules for a colour known only from a signed code: red stops, yellow needs a person, green passes while young enough. */
    static Verdict verdict(SignedCode code, Duration maxAge, Instant now) {
        List<String> reasons = new ArrayList<>();
        Verdict.Decision decision = Verdict.Decision.PASS;
        switch (code.colour()) {
            case RED -> {
                decision = Verdict.Decision.STOP;
                reasons.add("health code is red");
            }
            case YELLOW -> {
                decision = Verdict.Decision.CHECK_MANUALLY;
                reasons.add("health code is yellow");
            }
            default -> { }
        }
        Duration age = code.age(now);
        if (age.compareTo(maxAge) > 0) {
            if (decision == Verdict.Decision.PASS) {
                decision = Verdict.Decision.CHECK_MANUALLY;
            }
            reasons.add(maxAge.isZero()
                    ? "health code known only from the signed code; this checkpoint takes no signed code on its own"
                    : "signed health code is " + age.toHours() + " h " + age.toMinutesPart() + " min old; this checkpoint takes signed codes up to "
                    + maxAge.toHours() + " h " + maxAge.toMinutesPart() + " min");
        }
        return Verdict.newBuilder().setDecision(decision).addAllReasons(reasons).setPolicyId(POLICY).build();
    }
}
