package dev.tongxing.adapters.nativegrpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.adapters.TestSources;
import dev.tongxing.adapters.Transport;
import dev.tongxing.adapters.UpstreamReply;
import dev.tongxing.adapters.UpstreamRequest;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.HealthCodeComponent;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TestFacts;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.VaccinationFacts;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class NativeGrpcFamilyTest {

    static final String NUMBER = "510104199001011234";
    private final NativeGrpcFamily family = new NativeGrpcFamily(TestSources.CLOCK);
    private final SourceSettings source = TestSources.settings("sichuan-tfjkt", NativeGrpcFamily.NAME, SourceKind.HEALTH_CODE, "51");
    private final SourceQuery query = new SourceQuery(DocumentType.RESIDENT_ID, NUMBER, "13800138000", "51");

    static Timestamp at(String instant) {
        Instant i = Instant.parse(instant);
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    /** What a province speaking the contract answers about the test traveler. */
    static TravelerStatus.Builder status(HealthCodeColour colour) {
        return TravelerStatus.newBuilder()
                .setMaskedName("王*")
                .setMaskedDocumentNumber("5101**********1234")
                .setDocumentType(DocumentType.RESIDENT_ID)
                .setHealthCode(HealthCodeComponent.newBuilder()
                        .setColour(colour)
                        .setReason(colour == HealthCodeColour.GREEN ? "" : "密切接触者")
                        .setIssuingProvince("51")
                        .setValidUntil(at("2022-01-04T15:59:59Z"))
                        .setUpdatedAt(at("2022-01-04T01:00:00Z"))
                        .setProvenance(Provenance.newBuilder().setKind(Provenance.Kind.LIVE).setSourceId("sichuan-tfjkt")));
    }

    private SourceAnswer map(TravelerStatus.Builder status) {
        return family.map(UpstreamReply.grpc("OK", status.build().toByteArray()), query, source);
    }

    private static TravelerStatus.Builder edit(HealthCodeColour colour, UnaryOperator<HealthCodeComponent.Builder> change) {
        TravelerStatus.Builder status = status(colour);
        return status.setHealthCode(change.apply(status.getHealthCode().toBuilder()));
    }

    @Test
    void asksGetStatusWithTheDocumentOnly() throws Exception {
        assertThat(family.transport()).isEqualTo(Transport.GRPC);
        UpstreamRequest request = family.request(query, source);
        assertThat(request.method()).isEqualTo("tongxing.v1.TravelerStatusService/GetStatus");
        GetStatusRequest sent = GetStatusRequest.parseFrom(request.body());
        assertThat(sent.getTraveler().getDocumentNumber()).isEqualTo(NUMBER);
        assertThat(sent.getTraveler().getIssuingProvince()).isEqualTo("51");
        assertThat(sent.getTraveler().getPhoneNumber()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = HealthCodeColour.class, names = {"GREEN", "YELLOW", "RED"})
    void mapsEachColour(HealthCodeColour colour) {
        assertThat(map(status(colour))).isInstanceOfSatisfying(SourceAnswer.HealthCode.class, code -> {
            assertThat(code.colour()).isEqualTo(colour);
            assertThat(code.issuingProvince()).isEqualTo("51");
            assertThat(code.maskedName()).isEqualTo("王*");
            assertThat(code.updatedAt()).isEqualTo(Instant.parse("2022-01-04T01:00:00Z"));
            assertThat(code.validUntil()).contains(Instant.parse("2022-01-04T15:59:59Z"));
            assertThat(code.test()).isEmpty();
        });
    }

    @Test
    void takesTestAndVaccinationFacts() {
        SourceAnswer.HealthCode code = (SourceAnswer.HealthCode) map(status(HealthCodeColour.GREEN)
                .setTest(TestFacts.newBuilder().setResult(TestFacts.Result.NEGATIVE).setSampledAt(at("2022-01-03T07:00:00Z")))
                .setVaccination(VaccinationFacts.newBuilder().setDoses(3).setLastDoseAt(at("2021-11-19T16:30:00Z")).setCourseComplete(true)));
        assertThat(code.test()).contains(new SourceAnswer.NucleicAcidTest(TestFacts.Result.NEGATIVE, Instant.parse("2022-01-03T07:00:00Z")));
        assertThat(code.vaccination()).contains(new SourceAnswer.Vaccination(3, Optional.of(LocalDate.of(2021, 11, 20)), true));
    }

    @Test
    void aLiveAnswerIsLive() {
        assertThat(map(status(HealthCodeColour.GREEN)).upstreamAge()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Provenance.Kind.class, names = {"CACHED", "STALE"})
    void anAnswerFromTheProvincesOwnStoreKeepsItsStatedAge(Provenance.Kind kind) {
        SourceAnswer answer = map(edit(HealthCodeColour.GREEN, h -> h.setProvenance(Provenance.newBuilder().setKind(kind)
                .setAge(com.google.protobuf.Duration.newBuilder().setSeconds(600)))));
        assertThat(answer.upstreamAge()).contains(java.time.Duration.ofMinutes(10));
    }

    @ParameterizedTest
    @EnumSource(value = Provenance.Kind.class, names = {"CACHED", "STALE"})
    void anAnswerFromTheProvincesOwnStoreWithoutASensibleAgeIsRefused(Provenance.Kind kind) {
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setProvenance(Provenance.newBuilder().setKind(kind))),
                "missing field 'health_code.provenance.age'");
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setProvenance(Provenance.newBuilder().setKind(kind)
                .setAge(com.google.protobuf.Duration.newBuilder().setSeconds(-1)))), "health_code.provenance.age");
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setProvenance(Provenance.newBuilder().setKind(kind)
                .setAge(com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(-5)))), "health_code.provenance.age");
        // The code changed 30 minutes before the hub's now: an answer cannot be a day old.
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setProvenance(Provenance.newBuilder().setKind(kind)
                .setAge(com.google.protobuf.Duration.newBuilder().setSeconds(86_400)))), "health_code.provenance.age");
    }

    @Test
    void notFoundIsNoRecord() {
        assertThat(family.map(UpstreamReply.grpc("NOT_FOUND", new byte[0]), query, source)).isInstanceOf(SourceAnswer.NotFound.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UNAVAILABLE", "INTERNAL", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "INVALID_ARGUMENT"})
    void otherStatusesFailNamingTheCode(String code) {
        assertThatThrownBy(() -> family.map(UpstreamReply.grpc(code, new byte[0]), query, source)).isInstanceOf(RejectedAnswer.class)
                .hasMessage("sichuan-tfjkt: gRPC status " + code);
    }

    @Test
    void rejectsWhatIsNotAboutTheAskedTravelerOrNotAColour() {
        assertRejected(status(HealthCodeColour.GREEN).setMaskedDocumentNumber("5101**********9999"), "masked_document_number");
        assertRejected(status(HealthCodeColour.GREEN).setMaskedDocumentNumber(""), "masked_document_number");
        assertRejected(status(HealthCodeColour.GREEN).setMaskedDocumentNumber("******************"), "masked_document_number");
        assertRejected(status(HealthCodeColour.GREEN).setDocumentType(DocumentType.PASSPORT), "document_type");
        assertRejected(status(HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED), "health_code.colour");
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setColourValue(7)), "health_code.colour");
        assertRejected(status(HealthCodeColour.GREEN).clearHealthCode(), "missing field 'health_code'");
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setIssuingProvince("61")), "health_code.issuing_province");
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setIssuingProvince("")), "health_code.issuing_province");
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setProvenance(Provenance.newBuilder().setKind(Provenance.Kind.UNAVAILABLE))),
                "health_code.provenance.kind");
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setProvenance(Provenance.newBuilder().setKind(Provenance.Kind.KIND_UNSPECIFIED))),
                "health_code.provenance.kind");
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setProvenance(Provenance.newBuilder().setKind(Provenance.Kind.SIGNED_TOKEN))),
                "health_code.provenance.kind");
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.clearUpdatedAt()), "health_code.updated_at");
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setUpdatedAt(Timestamp.newBuilder().setSeconds(-5))), "health_code.updated_at");
        assertRejected(edit(HealthCodeColour.GREEN, h -> h.setValidUntil(at("2022-01-04T01:29:59Z"))), "expired");
        assertRejected(status(HealthCodeColour.GREEN).setTest(TestFacts.newBuilder().setSampledAt(at("2022-01-03T07:00:00Z"))), "test.result");
    }

    @Test
    void rejectsBytesThatAreNotTheMessage() {
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
        assertThatThrownBy(() -> family.map(UpstreamReply.grpc("OK", garbage), query, source)).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("not a well-formed");
        assertThatThrownBy(() -> family.map(TestSources.json("{}"), query, source)).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("not a gRPC reply");
        assertThatThrownBy(() -> family.map(UpstreamReply.grpc("OK", new byte[0]), query, source)).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("masked_document_number");
    }

    private void assertRejected(TravelerStatus.Builder status, String part) {
        assertThatThrownBy(() -> map(status)).isInstanceOf(RejectedAnswer.class)
                .hasMessageStartingWith("sichuan-tfjkt: ").hasMessageContaining(part).hasMessageNotContaining(NUMBER);
    }
}
