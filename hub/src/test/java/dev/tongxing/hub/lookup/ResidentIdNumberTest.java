package dev.tongxing.hub.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResidentIdNumberTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    @ParameterizedTest
    @CsvSource({
            // The GB 11643 worked example and numbers whose check character is X and 0.
            "11010519491231002X",
            "440524188001010014",
            "61010219900108123X",
    })
    void acceptsValidNumbers(String number) {
        assertThat(ResidentIdNumber.problem(number, TODAY)).isEmpty();
    }

    @Test
    void computesTheMod112CheckCharacter() {
        assertThat(ResidentIdNumber.checkCharacter("11010519491231002")).isEqualTo('X');
        assertThat(ResidentIdNumber.checkCharacter("44052418800101001")).isEqualTo('4');
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "110105194912310021|check digit does not match (ISO 7064 MOD 11-2)",
            "11010519491231002|must be 18 characters, got 17",
            "1101051949123100X2|character 17 must be a digit",
            "11010519491231002Y|character 18 must be a digit or X",
            "990105194912310025|address code does not start with a GB/T 2260 province code",
            "110105194902300026|birth date is not a calendar date",
            "110105203001010029|birth date is out of range",
    })
    void explainsWhatIsWrong(String number, String problem) {
        assertThat(ResidentIdNumber.problem(number, TODAY)).contains(problem);
    }

    @Test
    void everySingleDigitTypoIsCaught() {
        String valid = "61010219900108123X";
        for (int position = 0; position < 17; position++) {
            for (char digit = '0'; digit <= '9'; digit++) {
                if (digit == valid.charAt(position)) {
                    continue;
                }
                String typo = valid.substring(0, position) + digit + valid.substring(position + 1);
                assertThat(ResidentIdNumber.problem(typo, TODAY)).as("typo at %d", position).isPresent();
            }
        }
    }
}
