package dev.tongxing.adapters.nativegrpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.tongxing.adapters.ClockedFamily;
import dev.tongxing.adapters.Masking;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.StrictReply;
import dev.tongxing.adapters.Transport;
import dev.tongxing.adapters.UpstreamReply;
import dev.tongxing.adapters.UpstreamRequest;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.HealthCodeComponent;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TestFacts;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.VaccinationFacts;
import com.google.protobuf.util.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A province that speaks the hub's own contract: the hub calls the province's
 * {@code tongxing.v1.TravelerStatusService/GetStatus} over gRPC ({@link Transport#GRPC}; endpoint
 * {@code grpc://host:port}) with the traveler's document (never the phone number: the province
 * does not need it) and reads the health-code component of the {@link TravelerStatus} it returns.
 *
 * <p>Strict, like every family: the status must name the asked traveler
 * ({@code masked_document_number} revealing at least eight characters,
 * {@link Masking#requireSameDocument}; {@code document_type} the asked one), carry a health code
 * with a stated colour, issued by the configured province, with {@code updated_at} set, a
 * {@code valid_until} (when stated) after the hub's clock, and a provenance of known freshness
 * (below). Test and vaccination facts are taken when supplied and
 * well-formed; the province's travel-card component and verdict are ignored (the hub asks the
 * card itself, and decides itself).
 *
 * <p>The province's own provenance is kept: a LIVE health code is taken as live. A CACHED or STALE
 * one (the province answered from its own store) is carried as {@link SourceAnswer#upstreamAge()}
 * with the age the province stated, so the hub serves it STALE and never as LIVE; it is refused
 * when that age is missing, negative, malformed, or older than the code's own
 * {@code updated_at}. Any other kind (unspecified, SIGNED_TOKEN, UNAVAILABLE) is refused: the
 * hub cannot tell how fresh such an answer is. gRPC NOT_FOUND is "no record"; any other status is a
 * failure naming the source and the code.
 */
public final class NativeGrpcFamily extends ClockedFamily {

    public static final String NAME = "tongxing-grpc";
    /** 2000-01-01 to 2100-01-01: anything outside is not a time a province means. */
    private static final long MIN_SECONDS = 946_684_800L;
    private static final long MAX_SECONDS = 4_102_444_800L;
    /** How far the province's clock may run from the hub's when comparing a stated age with {@code updated_at}. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);


    public NativeGrpcFamily() {
        this(Clock.systemUTC());
    }

    /** @param clock decides whether a stated {@code valid_until} has passed */
    public NativeGrpcFamily(Clock clock) {
        super(NAME, SourceKind.HEALTH_CODE, clock);
    }

    @Override
    public Transport transport() {
        return Transport.GRPC;
    }

    @Override
    public UpstreamRequest request(SourceQuery query, SourceSettings source) {
        GetStatusRequest request = GetStatusRequest.newBuilder()
                .setTraveler(TravelerKey.newBuilder()
                        .setDocumentType(query.documentType())
                        .setDocumentNumber(query.documentNumber())
                        .setIssuingProvince(query.province()))
                .build();
        return UpstreamRequest.grpc(TravelerStatusServiceGrpc.getGetStatusMethod().getFullMethodName(), request.toByteArray());
    }

    @Override
    public SourceAnswer map(UpstreamReply reply, SourceQuery query, SourceSettings source) {
        switch (reply.grpcStatus()) {
            case "OK" -> { }
            case "NOT_FOUND" -> {
                return new SourceAnswer.NotFound(source.id(), source.id() + ": no record for this traveler");
            }
            case "" -> throw new RejectedAnswer(source.id(), "not a gRPC reply");
            default -> throw new RejectedAnswer(source.id(), "gRPC status " + StrictReply.printable(reply.grpcStatus()));
        }
        if (reply.body().length > source.maxBodyBytes()) {
            throw new RejectedAnswer(source.id(), "message of " + reply.body().length + " bytes exceeds the limit of " + source.maxBodyBytes());
        }
        TravelerStatus status;
        try {
            status = TravelerStatus.parseFrom(reply.body());
        } catch (InvalidProtocolBufferException e) {
            throw new RejectedAnswer(source.id(), "message is not a well-formed tongxing.v1.TravelerStatus");
        }
        Masking.requireSameDocument(status.getMaskedDocumentNumber(), query.documentNumber(), "masked_document_number", source.id());
        if (status.getDocumentType() != query.documentType()) {
            throw new RejectedAnswer(source.id(), "field 'document_type' is " + status.getDocumentTypeValue()
                    + ", not the document asked about");
        }
        if (!status.hasHealthCode()) {
            throw new RejectedAnswer(source.id(), "missing field 'health_code'");
        }
        HealthCodeComponent code = status.getHealthCode();
        HealthCodeColour colour = code.getColour();
        if (colour == HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED || colour == HealthCodeColour.UNRECOGNIZED) {
            throw new RejectedAnswer(source.id(), "field 'health_code.colour' is " + code.getColourValue() + ", not a stated colour");
        }
        if (!code.getIssuingProvince().equals(source.province())) {
            throw new RejectedAnswer(source.id(), "field 'health_code.issuing_province' is '" + StrictReply.printable(code.getIssuingProvince())
                    + "', not " + source.province());
        }
        Instant updatedAt = instant(code.hasUpdatedAt() ? code.getUpdatedAt() : null, "health_code.updated_at", source)
                .orElseThrow(() -> new RejectedAnswer(source.id(), "missing field 'health_code.updated_at'"));
        Optional<Duration> upstreamAge = upstreamAge(code.getProvenance(), updatedAt, source);
        Optional<Instant> validUntil = instant(code.hasValidUntil() ? code.getValidUntil() : null, "health_code.valid_until", source);
        validUntil.ifPresent(until -> StrictReply.requireValidAt(clock.instant(), Optional.empty(), until, Duration.ZERO,
                "", "health_code.valid_until", source));
        return new SourceAnswer.HealthCode(
                source.id(),
                colour,
                code.getReason(),
                validUntil,
                source.province(),
                updatedAt,
                status.getMaskedName(),
                status.hasTest() ? Optional.of(test(status.getTest(), source)) : Optional.empty(),
                status.hasVaccination() ? Optional.of(vaccination(status.getVaccination(), source.zone(), source)) : Optional.empty(),
                upstreamAge);
    }

    /**
     * Empty for a LIVE answer; the province's stated age for one it served from its own store
     * (CACHED or STALE). An age cannot exceed the time since the code last changed, give or take
     * {@link #CLOCK_SKEW} between the province's clock and the hub's.
     */
    private Optional<Duration> upstreamAge(Provenance provenance, Instant updatedAt, SourceSettings source) {
        switch (provenance.getKind()) {
            case LIVE -> {
                return Optional.empty();
            }
            case CACHED, STALE -> { }
            default -> throw new RejectedAnswer(source.id(), "field 'health_code.provenance.kind' is " + provenance.getKindValue()
                    + ": not LIVE, CACHED or STALE, so the answer's freshness is unknown");
        }
        if (!provenance.hasAge()) {
            throw new RejectedAnswer(source.id(), "missing field 'health_code.provenance.age' for a " + provenance.getKind() + " answer");
        }
        com.google.protobuf.Duration stated = provenance.getAge();
        if (!Durations.isValid(stated) || Durations.isNegative(stated)) {
            throw new RejectedAnswer(source.id(), "field 'health_code.provenance.age' is not a non-negative duration");
        }
        Duration age = Duration.ofSeconds(stated.getSeconds(), stated.getNanos());
        Duration sinceUpdate = Duration.between(updatedAt, clock.instant());
        if (age.compareTo(sinceUpdate.plus(CLOCK_SKEW)) > 0) {
            throw new RejectedAnswer(source.id(), "field 'health_code.provenance.age' is " + age.toSeconds()
                    + " s, older than the code's own 'health_code.updated_at'");
        }
        return Optional.of(age);
    }

    private static SourceAnswer.NucleicAcidTest test(TestFacts test, SourceSettings source) {
        TestFacts.Result result = test.getResult();
        if (result == TestFacts.Result.RESULT_UNSPECIFIED || result == TestFacts.Result.UNRECOGNIZED) {
            throw new RejectedAnswer(source.id(), "field 'test.result' is " + test.getResultValue() + ", not a stated result");
        }
        Instant sampledAt = instant(test.hasSampledAt() ? test.getSampledAt() : null, "test.sampled_at", source)
                .orElseThrow(() -> new RejectedAnswer(source.id(), "missing field 'test.sampled_at'"));
        return new SourceAnswer.NucleicAcidTest(result, sampledAt);
    }

    private static SourceAnswer.Vaccination vaccination(VaccinationFacts facts, ZoneId zone, SourceSettings source) {
        if (facts.getDoses() < 0 || facts.getDoses() > 10) {
            throw new RejectedAnswer(source.id(), "field 'vaccination.doses' is " + facts.getDoses() + ", outside 0..10");
        }
        return new SourceAnswer.Vaccination(facts.getDoses(),
                instant(facts.hasLastDoseAt() ? facts.getLastDoseAt() : null, "vaccination.last_dose_at", source)
                        .map(at -> at.atZone(zone).toLocalDate()),
                facts.getCourseComplete());
    }

    private static Optional<Instant> instant(Timestamp timestamp, String field, SourceSettings source) {
        if (timestamp == null) {
            return Optional.empty();
        }
        if (timestamp.getSeconds() < MIN_SECONDS || timestamp.getSeconds() > MAX_SECONDS
                || timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            throw new RejectedAnswer(source.id(), "field '" + field + "' is not a time between 2000 and 2100");
        }
        return Optional.of(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()));
    }
}
