package dev.tongxing.simulators;

import java.util.List;

/**
 * One member of the simulated population.
 *
 * @param healthColour pinyin colour code as Shaanxi's platform writes it ({@code lvma}, {@code huangma}, {@code hongma})
 * @param cardColour   travel-card colour ({@code green} ... {@code red})
 * @param cities       cities as the card prints them, a trailing {@code *} on risky ones
 */
public record SimulatedTraveler(
        int index,
        String residentId,
        String phone,
        String name,
        String healthColour,
        String reason,
        String cardColour,
        List<String> cities) {

    public String maskedName() {
        return name.length() <= 2 ? name.charAt(0) + "*" : name.charAt(0) + "*".repeat(name.length() - 2) + name.charAt(name.length() - 1);
    }
}
