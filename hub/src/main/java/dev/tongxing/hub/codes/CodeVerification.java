package dev.tongxing.hub.codes;

import dev.tongxing.adapters.FormatFamilies;
import dev.tongxing.adapters.InvalidCodePayload;
import dev.tongxing.adapters.ScannedCode;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.api.offline.CodeRefused;
import dev.tongxing.api.offline.SignedCode;
import dev.tongxing.api.offline.SignedCodeAnswers;
import dev.tongxing.api.offline.SignedCodes;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelCardComponent;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.VerifyCodeRequest;
import dev.tongxing.hub.audit.AuditedCall;
import dev.tongxing.hub.lookup.Checkpoint;
import dev.tongxing.hub.lookup.InvalidRequest;
import dev.tongxing.hub.lookup.LookupService;
import dev.tongxing.hub.lookup.TravelerKeys;
import dev.tongxing.hub.sources.SourceRegistry;
import dev.tongxing.hub.trust.ProvinceTrust;
import dev.tongxing.hub.verdict.VerdictPolicies;
import dev.tongxing.adapters.Masking;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * VerifyCode: reads a scanned QR payload and answers about its holder.
 *
 * <p>A signed code ({@code TX1:}) is verified against the province keys the hub trusts. With a
 * presented document that matches the code's digest, the province is asked as for GetStatus and
 * its answer wins; when it cannot answer (down, over capacity, timed out) the health code comes
 * from the signed code, SIGNED_TOKEN, and the checkpoint's policy decides how old a signed code it
 * takes. Without a presented document the answer is the code's alone.
 *
 * <p>An unsigned code of a province's older format names the traveler and proves nothing: it is
 * read only where {@code tongxing.trust.sources.<id>.accept-unsigned-codes} says so, and the
 * answer is labelled UNSIGNED_LEGACY.
 */
@Service
public class CodeVerification {

    static final int MAX_PAYLOAD = 4096;
    private static final Pattern PHONE = Pattern.compile("1\\d{10}");

    private final ProvinceTrust trust;
    private final LookupService lookups;
    private final TravelerKeys keys;
    private final SourceRegistry registry;
    private final FormatFamilies families;
    private final VerdictPolicies policies;
    private final Clock clock;

    public CodeVerification(ProvinceTrust trust, LookupService lookups, TravelerKeys keys, SourceRegistry registry,
                            FormatFamilies families, VerdictPolicies policies, Clock clock) {
        this.trust = trust;
        this.lookups = lookups;
        this.keys = keys;
        this.registry = registry;
        this.families = families;
        this.policies = policies;
        this.clock = clock;
    }

    /** @throws InvalidRequest naming the field for an unreadable, unknown, badly signed or expired payload */
    public CompletableFuture<TravelerStatus> verify(VerifyCodeRequest request, Checkpoint checkpoint, Duration budget, AuditedCall call) {
        String payload = request.getPayload().strip();
        if (payload.isEmpty()) {
            throw new InvalidRequest("payload", "is required");
        }
        if (payload.length() > MAX_PAYLOAD) {
            throw new InvalidRequest("payload", "is longer than " + MAX_PAYLOAD + " characters");
        }
        String phone = request.getPhoneNumber().replace(" ", "");
        if (!phone.isEmpty() && !PHONE.matcher(phone).matches()) {
            throw new InvalidRequest("phone_number", "must be 11 digits starting with 1");
        }
        Instant now = clock.instant();
        return SignedCodes.isSignedCode(payload)
                ? signed(payload, request, phone, checkpoint, budget, call, now)
                : unsigned(payload, phone, checkpoint, budget, call, now);
    }

    private CompletableFuture<TravelerStatus> signed(String payload, VerifyCodeRequest request, String phone, Checkpoint checkpoint,
                                                     Duration budget, AuditedCall call, Instant now) {
        SignedCode code;
        try {
            code = SignedCodes.verify(payload, trust.keys(), now);
        } catch (CodeRefused e) {
            throw new InvalidRequest("payload", e.getMessage());
        }
        String sourceId = trust.keys().get(code.keyId()).orElseThrow().sourceId();
        call.province(code.province());
        if (!request.hasPresentedDocument()) {
            return CompletableFuture.completedFuture(codeAlone(code, sourceId, phone, checkpoint, now));
        }
        TravelerKey presented = request.getPresentedDocument().toBuilder().setIssuingProvince(code.province()).build();
        SourceQuery document = keys.validate(presented, "presented_document");
        if (!code.document().matches(document.documentType(), document.documentNumber())) {
            throw new InvalidRequest("presented_document", "is not the document this code was issued for (the code's document digest does not match)");
        }
        SourceQuery traveler = call.traveler(new SourceQuery(document.documentType(), document.documentNumber(),
                document.phoneNumber().isEmpty() ? phone : document.phoneNumber(), code.province()));
        return lookups.lookup(traveler, checkpoint, budget, health -> SignedCodeFallback.choose(health, code, sourceId, clock.instant()))
                .thenApply(status -> status.toBuilder().setScannedCode(SignedCodeAnswers.scanned(code, true)).build());
    }

    /** The answer from the code alone: its colour and age; nothing else was asked. */
    private TravelerStatus codeAlone(SignedCode code, String sourceId, String phone, Checkpoint checkpoint, Instant now) {
        String notAsked = "not asked: no document was presented with the signed code";
        TravelCardComponent.Builder card = TravelCardComponent.newBuilder().setProvenance(Provenance.newBuilder()
                .setKind(Provenance.Kind.UNAVAILABLE).setReason(notAsked));
        if (!phone.isEmpty()) {
            card.setMaskedPhone(Masking.maskPhone(phone));
        }
        TravelerStatus status = TravelerStatus.newBuilder()
                .setMaskedName(code.maskedName())
                .setHealthCode(SignedCodeAnswers.healthCode(code, SignedCodeAnswers.provenance(code, sourceId,
                        "the province was " + notAsked + "; answered from the code signed with key " + code.keyId(), now)))
                .setTravelCard(card)
                .setAsOf(SignedCodeAnswers.timestamp(now))
                .setScannedCode(SignedCodeAnswers.scanned(code, false))
                .build();
        return status.toBuilder().setVerdict(policies.forCheckpoint(checkpoint.id()).decide(status, now)).build();
    }

    private CompletableFuture<TravelerStatus> unsigned(String payload, String phone, Checkpoint checkpoint, Duration budget,
                                                       AuditedCall call, Instant now) {
        for (SourceSettings source : registry.all()) {
            Optional<ScannedCode> code;
            try {
                code = families.get(source.family()).readCode(payload, source, now);
            } catch (InvalidCodePayload e) {
                throw new InvalidRequest("payload", e.getMessage().replaceFirst("^payload: ", ""));
            } catch (DateTimeException | ArithmeticException e) {
                // A time no clock can hold is the caller's bad input, never the hub's failure.
                throw new InvalidRequest("payload", "states a time out of range");
            }
            if (code.isEmpty()) {
                continue;
            }
            if (!trust.acceptsUnsignedCodes(source.id())) {
                throw new InvalidRequest("payload", "is an unsigned code of " + source.id() + ", and this hub accepts only signed codes ("
                        + SignedCodes.PREFIX + ") from it (tongxing.trust.sources." + source.id() + ".accept-unsigned-codes is off)");
            }
            SourceQuery read = code.get().traveler();
            TravelerKey key = TravelerKey.newBuilder()
                    .setDocumentType(read.documentType())
                    .setDocumentNumber(read.documentNumber())
                    .setPhoneNumber(read.phoneNumber().isEmpty() ? phone : read.phoneNumber())
                    .setIssuingProvince(read.province())
                    .build();
            SourceQuery traveler = call.traveler(keys.validate(key, "payload"));
            dev.tongxing.api.v1.ScannedCode label = dev.tongxing.api.v1.ScannedCode.newBuilder()
                    .setKind(dev.tongxing.api.v1.ScannedCode.Kind.UNSIGNED_LEGACY)
                    .setIssuingProvince(read.province())
                    .setIssuedAt(SignedCodeAnswers.timestamp(code.get().generatedAt()))
                    .build();
            return lookups.lookup(traveler, checkpoint, budget).thenApply(status -> status.toBuilder().setScannedCode(label).build());
        }
        throw new InvalidRequest("payload", "not the QR format of any onboarded province");
    }
}
