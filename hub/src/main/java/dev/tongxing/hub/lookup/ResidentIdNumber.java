package dev.tongxing.hub.lookup;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Checks a GB 11643 resident identity number: six-digit address code, eight-digit birth date,
 * three-digit sequence, and an ISO 7064 MOD 11-2 check character.
 */
public final class ResidentIdNumber {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    private ResidentIdNumber() {}

    /** The check character for the first 17 digits. */
    public static char checkCharacter(CharSequence first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /**
     * Returns why the number is not a valid resident ID, or empty when it is. The reason never
     * repeats the number.
     */
    public static Optional<String> problem(String number, LocalDate today) {
        if (number.length() != 18) {
            return Optional.of("must be 18 characters, got " + number.length());
        }
        for (int i = 0; i < 17; i++) {
            if (number.charAt(i) < '0' || number.charAt(i) > '9') {
                return Optional.of("character " + (i + 1) + " must be a digit");
            }
        }
        char last = number.charAt(17);
        if (!(last >= '0' && last <= '9') && last != 'X') {
            return Optional.of("character 18 must be a digit or X");
        }
        if (!Provinces.isKnown(number.substring(0, 2))) {
            return Optional.of("address code does not start with a GB/T 2260 province code");
        }
        try {
            LocalDate birth = LocalDate.of(Integer.parseInt(number.substring(6, 10)),
                    Integer.parseInt(number.substring(10, 12)), Integer.parseInt(number.substring(12, 14)));
            if (birth.isAfter(today) || birth.getYear() < 1880) {
                return Optional.of("birth date is out of range");
            }
        } catch (DateTimeException e) {
            return Optional.of("birth date is not a calendar date");
        }
        if (checkCharacter(number) != last) {
            return Optional.of("check digit does not match (ISO 7064 MOD 11-2)");
        }
        return Optional.empty();
    }
}
