package dev.tongxing.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cached keys and answers share one String per province code instead of holding a copy each. */
class ProvinceCodesTest {

    @Test
    void keysAndAnswersOfOneProvinceShareItsCode() {
        SourceQuery first = new SourceQuery(DocumentType.RESIDENT_ID, "610102196001011000", "", "610102196001011000".substring(0, 2));
        SourceQuery second = new SourceQuery(DocumentType.RESIDENT_ID, "610102196001021001", "", new String("61"));
        SourceAnswer.HealthCode answer = new SourceAnswer.HealthCode("shaanxi-ymt", HealthCodeColour.GREEN, "", Optional.empty(),
                new String("61"), Instant.EPOCH, "", Optional.empty(), Optional.empty());

        assertThat(second.province()).isEqualTo("61").isSameAs(first.province()).isSameAs(answer.issuingProvince());
    }

    @Test
    void anythingButTwoDigitsIsKeptAsItIs() {
        String odd = new String("6A");
        assertThat(new SourceQuery(DocumentType.PASSPORT, "E12345678", "", odd).province()).isSameAs(odd);
        assertThat(new SourceQuery(DocumentType.PASSPORT, "E12345678", "", null).province()).isEmpty();
        assertThat(ProvinceCodes.shared("610")).isEqualTo("610");
    }
}
