package dev.tongxing.hub.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.api.v1.DocumentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeldKeyTest {

    @ParameterizedTest
    @ValueSource(strings = {"610102196001011000", "11010519491231002X", "000000000000000000", "99999999999999999X", "001234567890123459"})
    void aResidentIdPacksIntoANumberAndUnpacksToTheSameQueryWithoutThePhone(String number) {
        HeldKey key = HeldKey.document(new SourceQuery(DocumentType.RESIDENT_ID, number, "13800000000", "61"));

        assertThat(key).isInstanceOf(HeldKey.PackedResidentId.class);
        assertThat(key.query()).isEqualTo(new SourceQuery(DocumentType.RESIDENT_ID, number, "", "61"));
        assertThat(key).isEqualTo(HeldKey.document(new SourceQuery(DocumentType.RESIDENT_ID, number, "", "61")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"61010219600101100", "6101021960010110000", "61010219600101100Y", "6101021960010110X0", "E12345678"})
    void anythingElseIsHeldAsGivenWithoutThePhone(String number) {
        HeldKey key = HeldKey.document(new SourceQuery(DocumentType.RESIDENT_ID, number, "13800000000", "61"));

        assertThat(key).isInstanceOf(HeldKey.AsGiven.class);
        assertThat(key.query()).isEqualTo(new SourceQuery(DocumentType.RESIDENT_ID, number, "", "61"));
    }

    @Test
    void otherDocumentsAreHeldAsGivenEvenWhenTheirNumberLooksLikeAResidentId() {
        SourceQuery passport = new SourceQuery(DocumentType.PASSPORT, "610102196001011000", "", "61");

        assertThat(HeldKey.document(passport)).isEqualTo(new HeldKey.AsGiven(passport))
                .isNotEqualTo(HeldKey.document(new SourceQuery(DocumentType.RESIDENT_ID, "610102196001011000", "", "61")));
    }

    @Test
    void theProvinceIsPartOfAPackedKey() {
        assertThat(HeldKey.document(new SourceQuery(DocumentType.RESIDENT_ID, "610102196001011000", "", "61")))
                .isNotEqualTo(HeldKey.document(new SourceQuery(DocumentType.RESIDENT_ID, "610102196001011000", "", "44")));
    }

    @Test
    void aPhoneIsTheTravelCardsKeyWhateverDocumentItCameWith() {
        HeldKey key = HeldKey.phone(new SourceQuery(DocumentType.RESIDENT_ID, "610102196001011000", "01380000000", "61"));

        assertThat(key).isInstanceOf(HeldKey.PackedPhone.class)
                .isEqualTo(HeldKey.phone(new SourceQuery(DocumentType.PASSPORT, "E12345678", "01380000000", "44")));
        assertThat(key.query()).isEqualTo(new SourceQuery(DocumentType.DOCUMENT_TYPE_UNSPECIFIED, "", "01380000000", ""));
        assertThat(HeldKey.phone(new SourceQuery(DocumentType.RESIDENT_ID, "610102196001011000", "", "61")))
                .isInstanceOf(HeldKey.AsGiven.class);
    }

    @Test
    void aKeyNeverPrintsTheNumber() {
        assertThat(HeldKey.document(new SourceQuery(DocumentType.RESIDENT_ID, "610102196001011000", "", "61")).toString())
                .doesNotContain("610102196001011000").doesNotContain(Long.toString(610102196001011000L / 10));
        assertThat(HeldKey.phone(new SourceQuery(DocumentType.RESIDENT_ID, "610102196001011000", "13800000000", "61")).toString())
                .doesNotContain("13800000000");
    }
}
