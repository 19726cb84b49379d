package dev.tongxing.simulators;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deterministic population of Shaanxi residents: the same index always gives the same traveler,
 * so a README example or a test can name one. Alongside them live a few residents of Guangdong (44),
 * Beijing (11), Shanghai (31), Gansu (62, the README's onboarding example) and Sichuan (51, which
 * speaks the hub's gRPC contract natively), one per ten Shaanxi
 * travelers and province, for the simulated systems of those provinces; they never change a
 * Shaanxi traveler's identity. Colours are mixed the way a city in a wave looks:
 * mostly green, some yellow, a few red; some travelers passed through starred cities.
 */
public final class SimulatedPopulation {

    private static final String[] COUNTIES = {"610102", "610103", "610104", "610111", "610112", "610113", "610402", "610502"};
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇"};
    private static final String[] CITIES = {"陕西省西安市", "陕西省咸阳市", "广东省深圳市", "北京市", "上海市", "河南省郑州市", "四川省成都市"};
    /** Provinces with simulated health-code systems besides Shaanxi, and two counties of each. */
    public static final List<String> VISITOR_PROVINCES = List.of("44", "11", "31", "62", "51");
    private static final Map<String, String[]> VISITOR_COUNTIES = Map.of(
            "44", new String[] {"440106", "440304"},
            "11", new String[] {"110105", "110108"},
            "31", new String[] {"310104", "310115"},
            "62", new String[] {"620102", "620103"},
            "51", new String[] {"510104", "510107"});
    private static final LocalDate FIRST_BIRTHDAY = LocalDate.of(1960, 1, 1);

    private final List<SimulatedTraveler> travelers;
    private final Map<String, List<SimulatedTraveler>> visitors = new HashMap<>();
    private final Map<String, SimulatedTraveler> byResidentId = new HashMap<>();
    private final Map<String, SimulatedTraveler> byPhone = new HashMap<>();

    public SimulatedPopulation(int size) {
        if (size < 1 || size > 1_000_000) {
            throw new IllegalArgumentException("population size must be 1..1000000, got " + size);
        }
        travelers = java.util.stream.IntStream.range(0, size).mapToObj(SimulatedPopulation::traveler).toList();
        for (SimulatedTraveler traveler : travelers) {
            byResidentId.put(traveler.residentId(), traveler);
            byPhone.put(traveler.phone(), traveler);
        }
        int perProvince = Math.max(1, size / 10);
        for (String province : VISITOR_PROVINCES) {
            List<SimulatedTraveler> residents = java.util.stream.IntStream.range(0, perProvince)
                    .mapToObj(index -> resident(province, index)).toList();
            visitors.put(province, residents);
            for (SimulatedTraveler traveler : residents) {
                byResidentId.put(traveler.residentId(), traveler);
                byPhone.put(traveler.phone(), traveler);
            }
        }
    }

    /** The simulated residents of another province ({@code 44}, {@code 11}, {@code 31}, {@code 62} or {@code 51}), in index order. */
    public List<SimulatedTraveler> residentsOf(String province) {
        return visitors.getOrDefault(province, List.of());
    }

    /**
     * Resident {@code index} of another province: same colour mix as Shaanxi's, phone
     * {@code 139<province><index:6>} so it never collides with a Shaanxi phone ({@code 138...}).
     */
    public static SimulatedTraveler resident(String province, int index) {
        String[] counties = VISITOR_COUNTIES.get(province);
        if (counties == null) {
            throw new IllegalArgumentException("no simulated residents for province " + province);
        }
        SimulatedTraveler pattern = traveler(index);
        String county = counties[index % counties.length];
        LocalDate birthday = FIRST_BIRTHDAY.plusDays((index / counties.length) * 37L % 16_000);
        String first17 = county + birthday.toString().replace("-", "") + String.format("%03d", 100 + (index * 13) % 900);
        String phone = "139" + province + String.format("%06d", index);
        return new SimulatedTraveler(index, first17 + checkCharacter(first17), phone, pattern.name(), pattern.healthColour(),
                pattern.reason(), pattern.cardColour(), pattern.cities());
    }

    public Optional<SimulatedTraveler> byResidentId(String number) {
        return Optional.ofNullable(byResidentId.get(number));
    }

    public Optional<SimulatedTraveler> byPhone(String phone) {
        return Optional.ofNullable(byPhone.get(phone));
    }

    public List<SimulatedTraveler> all() {
        return travelers;
    }

    /** Traveler number {@code index}: its ID, phone and colours follow from the index alone. */
    public static SimulatedTraveler traveler(int index) {
        String county = COUNTIES[index % COUNTIES.length];
        // Birthdays are distinct per county for the first 16,000 * 8 travelers, which keeps IDs unique.
        LocalDate birthday = FIRST_BIRTHDAY.plusDays((index / COUNTIES.length) * 37L % 16_000);
        String sequence = String.format("%03d", 100 + (index * 13) % 900);
        String first17 = county + birthday.toString().replace("-", "") + sequence;
        String residentId = first17 + checkCharacter(first17);
        String phone = "138" + String.format("%08d", index);
        String name = SURNAMES[index % SURNAMES.length] + GIVEN[(index / SURNAMES.length) % GIVEN.length];

        int band = index % 20;
        String health = switch (band) {
            case 2, 17 -> "hongma";
            case 1, 9, 14 -> "huangma";
            default -> "lvma";
        };
        String reason = switch (health) {
            case "hongma" -> "确诊或疑似病例密切接触者";
            case "huangma" -> "近14天内有中高风险地区旅居史";
            default -> "";
        };
        String card = band == 2 ? "red" : band == 17 ? "orange" : index % 10 == 3 ? "yellow" : "green";
        String home = CITIES[index % 2];
        List<String> cities = index % 10 == 3 || band == 2
                ? List.of(home, CITIES[2 + index % 5] + "*")
                : index % 4 == 0 ? List.of(home) : List.of(home, CITIES[2 + index % 5]);
        return new SimulatedTraveler(index, residentId, phone, name, health, reason, card, cities);
    }

    static char checkCharacter(String first17) {
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        char[] check = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * weights[i];
        }
        return check[sum % 11];
    }
}
