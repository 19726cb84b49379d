package dev.tongxing.hub.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.TravelerKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TravelerKeysTest {

    private final TravelerKeys keys = new TravelerKeys(Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void derivesTheProvinceFromAResidentId() {
        SourceQuery query = keys.validate(TravelerKey.newBuilder().setDocumentType(DocumentType.RESIDENT_ID)
                .setDocumentNumber("61010219900108123x").setPhoneNumber("138 0013 8000").build(), "traveler");
        assertThat(query.documentNumber()).isEqualTo("61010219900108123X");
        assertThat(query.province()).isEqualTo("61");
        assertThat(query.phoneNumber()).isEqualTo("13800138000");
    }

    @Test
    void aPassportNeedsItsIssuingProvince() {
        TravelerKey.Builder key = TravelerKey.newBuilder().setDocumentType(DocumentType.PASSPORT).setDocumentNumber("E12345678");
        assertThatThrownBy(() -> keys.validate(key.build(), "traveler"))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("traveler.issuing_province: is required for document type PASSPORT");
        assertThat(keys.validate(key.setIssuingProvince("44").build(), "traveler").province()).isEqualTo("44");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "RESIDENT_ID|61010219900108123X|13800138000|99|traveler.issuing_province: '99' is not a GB/T 2260 province code",
            "RESIDENT_ID|610102199001011234||61|traveler.document_number: not a valid resident ID: check digit does not match (ISO 7064 MOD 11-2)",
            "RESIDENT_ID|61010219900108123X|1380013800|61|traveler.phone_number: must 11 digits starting with 1",
            "RESIDENT_ID|||61|traveler.document_number: is required",
            "DOCUMENT_TYPE_UNSPECIFIED|E12345678||44|traveler.document_type: must be RESIDENT_ID, PASSPORT or HK_MACAU_PERMIT",
            "PASSPORT|E1|13800138000|44|traveler.document_number: a passport number is 5 to 20 letters and digits",
            "HK_MACAU_PERMIT|C12345678||81|traveler.document_number: an HK/Macau permit number is H or M followed by 8 or 10 digits",
    })
    void namesTheFieldThatIsWrong(DocumentType type, String number, String phone, String province, String message) {
        TravelerKey key = TravelerKey.newBuilder().setDocumentType(type).setDocumentNumber(number == null ? "" : number)
                .setPhoneNumber(phone == null ? "" : phone).setIssuingProvince(province).build();
        assertThatThrownBy(() -> keys.validate(key, "traveler")).isInstanceOf(InvalidRequest.class).hasMessage(message.replace("must 11", "must be 11"));
    }

    @Test
    void anEmptyKeyIsRequired() {
        assertThatThrownBy(() -> keys.validate(TravelerKey.getDefaultInstance(), "traveler")).hasMessage("traveler: is required");
    }

    @Test
    void errorsNeverRepeatTheNumber() {
        TravelerKey key = TravelerKey.newBuilder().setDocumentType(DocumentType.RESIDENT_ID).setDocumentNumber("610102199001011234").build();
        assertThatThrownBy(() -> keys.validate(key, "traveler")).message().doesNotContain("610102199001011234");
    }
}
