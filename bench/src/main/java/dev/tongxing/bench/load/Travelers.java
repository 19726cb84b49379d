package dev.tongxing.bench.load;

import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedTraveler;
import java.util.List;

/**
 * The bench's key space: traveler {@code k} of {@code 0..N-1}, spread over the five simulated
 * health-code provinces the way a Xi'an morning looks (six in ten Shaanxi residents, one in ten
 * each from Guangdong, Beijing, Shanghai and Sichuan), every one with a phone, so each lookup asks
 * a province and the travel card. A simulated population of {@code N} knows every key.
 */
public final class Travelers {

    /** The health-code source of keys {@code k % 10 == 6..9}; the rest are Shaanxi's. */
    private static final List<String> VISITOR_PROVINCES = List.of("44", "11", "31", "51");
    private static final List<String> VISITOR_SOURCES = List.of("guangdong-ykm", "beijing-jkb", "shanghai-ssm", "sichuan-tfjkt");
    public static final String SHAANXI_SOURCE = "shaanxi-ymt";
    /** Every source a lookup of this key space reaches: five provinces and the travel card. */
    public static final List<String> SOURCES = List.of(SHAANXI_SOURCE, "guangdong-ykm", "beijing-jkb", "shanghai-ssm",
            "sichuan-tfjkt", "travel-card");

    private Travelers() {}

    public static SimulatedTraveler traveler(long k) {
        int slot = (int) (k % 10);
        long group = k / 10;
        return slot < 6
                ? SimulatedPopulation.traveler((int) (group * 6 + slot))
                : SimulatedPopulation.resident(VISITOR_PROVINCES.get(slot - 6), (int) group);
    }

    /** The source that answers key {@code k}'s health code. */
    public static String healthSource(long k) {
        int slot = (int) (k % 10);
        return slot < 6 ? SHAANXI_SOURCE : VISITOR_SOURCES.get(slot - 6);
    }

    public static TravelerKey key(long k) {
        return key(k, true);
    }

    /** Without the phone the hub asks the traveler's province only, not the travel card. */
    public static TravelerKey key(long k, boolean withPhone) {
        SimulatedTraveler traveler = traveler(k);
        TravelerKey.Builder key = TravelerKey.newBuilder()
                .setDocumentType(DocumentType.RESIDENT_ID)
                .setDocumentNumber(traveler.residentId());
        return withPhone ? key.setPhoneNumber(traveler.phone()).build() : key.build();
    }

    public static GetStatusRequest request(long k) {
        return request(k, true);
    }

    public static GetStatusRequest request(long k, boolean withPhone) {
        return GetStatusRequest.newBuilder().setTraveler(key(k, withPhone)).build();
    }
}
