package dev.tongxing.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.TravelCardColour;
import dev.tongxing.bench.load.Travelers;
import dev.tongxing.hub.cache.SourceAnswerCache;
import dev.tongxing.hub.config.CacheProperties;
import dev.tongxing.simulators.SimulatedTraveler;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.management.ObjectName;
import org.springframework.util.unit.DataSize;

/**
 * Weighs the hub's caches holding N travelers' statuses, in a JVM of its own: the hub's own
 * {@link SourceAnswerCache} for a province's health code and for the travel card, filled with
 * answers shaped like the simulated provinces' (masked names, reasons, cities), heap measured after
 * full collections before and after. Args: {@code <travelers> <out.json>}.
 */
public final class CacheMemoryProbe {

    private CacheMemoryProbe() {}

    public static void main(String[] args) throws Exception {
        int travelers = Integer.parseInt(args[0]);
        Clock clock = Clock.systemUTC();
        CacheProperties policy = new CacheProperties(Duration.ofSeconds(60), Duration.ofSeconds(45), Duration.ofMinutes(30),
                Duration.ofSeconds(30), DataSize.ofGigabytes(16));
        SourceSettings province = new SourceSettings("shaanxi-ymt", "pinyin-json", SourceKind.HEALTH_CODE, "61",
                URI.create("http://127.0.0.1:1/"), Duration.ofMillis(800), ZoneId.of("Asia/Shanghai"), 65536, "", Map.of());
        SourceSettings card = new SourceSettings("travel-card", "travel-card-json", SourceKind.TRAVEL_CARD, "00",
                URI.create("http://127.0.0.1:1/"), Duration.ofMillis(800), ZoneId.of("Asia/Shanghai"), 65536, "", Map.of());
        long before = usedHeapAfterGc();
        SourceAnswerCache health = new SourceAnswerCache(province, policy, clock, (s, q) -> CompletableFuture.failedFuture(new IllegalStateException()));
        SourceAnswerCache cards = new SourceAnswerCache(card, policy, clock, (s, q) -> CompletableFuture.failedFuture(new IllegalStateException()));
        Instant now = clock.instant();
        for (int k = 0; k < travelers; k++) {
            SimulatedTraveler t = Travelers.traveler(k);
            SourceQuery query = new SourceQuery(DocumentType.RESIDENT_ID, t.residentId(), t.phone(), t.residentId().substring(0, 2));
            HealthCodeColour colour = switch (t.healthColour()) {
                case "hongma" -> HealthCodeColour.RED;
                case "huangma" -> HealthCodeColour.YELLOW;
                default -> HealthCodeColour.GREEN;
            };
            health.put(query, new SourceAnswer.HealthCode("shaanxi-ymt", colour, t.reason(), Optional.of(now.plusSeconds(86_400)),
                    query.province(), now, t.name().charAt(0) + "*", Optional.empty(), Optional.empty()));
            cards.put(query, new SourceAnswer.TravelCard("travel-card", TravelCardColour.TRAVEL_GREEN,
                    t.cities().stream().map(c -> new SourceAnswer.City(c.replace("*", ""), c.endsWith("*"))).toList(), 14,
                    t.phone().substring(0, 3) + "****" + t.phone().substring(7), now));
        }
        health.cleanUp();
        cards.cleanUp();
        long after = usedHeapAfterGc();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("travelers", travelers);
        result.put("heapBytes", after - before);
        result.put("bytesPerTraveler", (after - before) / (double) travelers);
        result.put("healthEntries", health.estimatedSize());
        result.put("cardEntries", cards.estimatedSize());
        result.put("weighedBytes", health.weightedSize() + cards.weightedSize());
        result.put("defaultMaxWeightBytes", DataSize.ofMegabytes(64).toBytes());
        result.put("largestClasses", largestClasses(12));
        new ObjectMapper().writeValue(Path.of(args[1]).toFile(), result);
        System.out.println("READY " + result);
        // Keep both caches reachable until measured.
        if (health.estimatedSize() + cards.estimatedSize() < 0) {
            System.out.println(List.of(health, cards));
        }
    }

    /** The heap's largest classes by bytes (the JVM's class histogram), to show where a traveler's bytes go. */
    private static List<Map<String, Object>> largestClasses(int count) throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        List<Map<String, Object>> largest = new ArrayList<>();
        for (String line : histogram.lines().toList()) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && columns[0].endsWith(":") && largest.size() < count) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("class", columns[3]);
                row.put("instances", Long.parseLong(columns[1]));
                row.put("bytes", Long.parseLong(columns[2]));
                largest.add(row);
            }
        }
        return largest;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(150);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
