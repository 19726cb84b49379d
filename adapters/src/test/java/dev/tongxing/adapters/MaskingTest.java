package dev.tongxing.adapters;

import static org.assertj.core.api.Assertions.assertThat;

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
    void masksForDisplay() {
        assertThat(Masking.mask("61010219900108123X")).isEqualTo("6101**********123X");
        assertThat(Masking.mask("E1234567")).isEqualTo("********");
        assertThat(Masking.maskPhone("13800138000")).isEqualTo("138****8000");
    }
}
