package dev.tongxing.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void maskedIdentityMatchesOnlyTheSameTraveler() {
        assertThat(Masking.sameIdentity("6101**********123X", "61010219900108123X")).isTrue();
        assertThat(Masking.sameIdentity("6101**********123x", "61010219900108123X")).isTrue();
        assertThat(Masking.sameIdentity("6101**********1234", "61010219900108123X")).isFalse();
        assertThat(Masking.sameIdentity("4401**********123X", "61010219900108123X")).isFalse();
        assertThat(Masking.sameIdentity("6101*********123X", "61010219900108123X")).as("length differs").isFalse();
        assertThat(Masking.sameIdentity("******************", "61010219900108123X")).as("fully masked proves nothing").isFalse();
        assertThat(Masking.sameIdentity(null, "61010219900108123X")).isFalse();
    }

    @Test
    void aDocumentNumberMustRevealEightCharacters() {
        Masking.requireSameDocument("6101**********123X", "61010219900108123X", "sj.zjhm", "shaanxi-ymt");
        Masking.requireSameDocument("E1234*678", "E12345678", "certNo", "s");
        Masking.requireSameDocument("E1234567", "E1234567", "certNo", "s");
        for (String everyXianResident : new String[] {"6101**************", "**************123X", "61**************3X"}) {
            assertThatThrownBy(() -> Masking.requireSameDocument(everyXianResident, "61010219900108123X", "sj.zjhm", "shaanxi-ymt"))
                    .isInstanceOf(RejectedAnswer.class)
                    .hasMessageStartingWith("shaanxi-ymt: field 'sj.zjhm' reveals only 4 characters")
                    .hasMessageNotContaining("61010219900108123X");
        }
        assertThatThrownBy(() -> Masking.requireSameDocument("E1*****78", "E12345678", "certNo", "s"))
                .hasMessageContaining("reveals only 4 characters");
        assertThatThrownBy(() -> Masking.requireSameDocument("E12*4567", "E1234567", "certNo", "s"))
                .as("a short number must be revealed whole").hasMessageContaining("reveals only 7 characters");
        assertThatThrownBy(() -> Masking.requireSameDocument("6101**********1234", "61010219900108123X", "sj.zjhm", "s"))
                .hasMessage("s: field 'sj.zjhm' names a different traveler than the one asked for");
        assertThatThrownBy(() -> Masking.requireSameDocument(null, "61010219900108123X", "sj.zjhm", "s"))
                .hasMessage("s: field 'sj.zjhm' names a different traveler than the one asked for");
    }

    @Test
    void masksForDisplay() {
        assertThat(Masking.mask("61010219900108123X")).isEqualTo("6101**********123X");
        assertThat(Masking.mask("E1234567")).isEqualTo("********");
        assertThat(Masking.maskPhone("13800138000")).isEqualTo("138****8000");
    }
}
