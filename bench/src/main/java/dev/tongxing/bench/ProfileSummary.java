package dev.tongxing.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the hub's CPU went during one run, from its JFR recording: execution samples taken within
 * the run's wall-clock span, attributed to the layer of the topmost frame (Netty, gRPC, the hub's
 * own code, Caffeine, protobuf, the audit store, thread scheduling, ...) and, inclusively, to the
 * hub's own methods anywhere on the stack.
 */
final class ProfileSummary {

    private static final String[][] LAYERS = {
            {"io.grpc.netty.shaded.io.netty.", "Netty (transport, HTTP/2)"},
            {"io.grpc.netty.", "gRPC Netty transport"},
            {"io.grpc.", "gRPC core (calls, interceptors, marshalling)"},
            {"com.google.protobuf.", "protobuf (building, serializing)"},
            {"dev.tongxing.", "hub's own code"},
            {"com.github.benmanes.caffeine.", "Caffeine"},
            {"io.github.resilience4j.", "Resilience4j"},
            {"org.h2.", "H2 (exchange store)"},
            // Execution samples see Java frames only: time in SQLite's C library is not in the profile.
            {"org.sqlite.", "SQLite (audit store, its Java side)"},
            {"org.springframework.jdbc.", "Spring JDBC (audit store)"},
            {"com.zaxxer.hikari.", "Hikari (audit store)"},
            {"io.micrometer.", "Micrometer"},
            {"org.apache.camel.", "Camel"},
            {"sun.security.", "JDK crypto"},
            {"com.sun.crypto.", "JDK crypto"},
            {"javax.crypto.", "JDK crypto"},
            {"java.security.", "JDK crypto"},
            {"java.lang.VirtualThread", "virtual-thread scheduling"},
            {"java.util.concurrent.ForkJoin", "virtual-thread scheduling"},
            {"jdk.internal.vm.Continuation", "virtual-thread scheduling"},
            {"java.util.concurrent.", "JDK concurrency (futures, queues, locks)"},
            {"jdk.internal.misc.Unsafe", "JDK concurrency (futures, queues, locks)"},
            {"java.util.regex.", "JDK regex"},
            {"java.time.", "JDK time"},
            {"java.", "JDK other (strings, collections, ...)"},
            {"jdk.", "JDK other (strings, collections, ...)"},
            {"sun.", "JDK other (strings, collections, ...)"},
    };

    record Summary(long samples, Map<String, Double> layers, Map<String, Double> threads, Map<String, Double> hubMethods) {}

    private ProfileSummary() {}

    /** Args: {@code <recording.jfr> <from epoch ms> <to epoch ms>}; prints the summary. */
    public static void main(String[] args) throws IOException {
        markdown(args[0], of(Path.of(args[0]), Instant.ofEpochMilli(Long.parseLong(args[1])), Instant.ofEpochMilli(Long.parseLong(args[2]))))
                .forEach(System.out::println);
    }

    static Summary of(Path recording, Instant from, Instant to) throws IOException {
        Map<String, Long> layers = new HashMap<>(), threads = new HashMap<>(), hubMethods = new HashMap<>();
        long samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")
                        || event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                RecordedFrame top = stack.getFrames().getFirst();
                layers.merge(layer(top.getMethod().getType().getName()), 1L, Long::sum);
                var thread = event.getThread("sampledThread");
                String name = thread == null ? "?" : thread.getJavaName() == null ? "?" : thread.getJavaName();
                threads.merge(threadGroup(name, thread != null && thread.isVirtual()), 1L, Long::sum);
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (RecordedFrame frame : stack.getFrames()) {
                    String type = frame.getMethod().getType().getName();
                    if (type.startsWith("dev.tongxing.") && !type.contains("$$Lambda")) {
                        String method = type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
                        if (seen.add(method)) {
                            hubMethods.merge(method, 1L, Long::sum);
                        }
                    }
                }
            }
        }
        return new Summary(samples, shares(layers, samples, 20), shares(threads, samples, 10), shares(hubMethods, samples, 15));
    }

    static List<String> markdown(String title, Summary s) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%s: %,d execution samples. By the topmost frame's layer: %s. By thread: %s. "
                + "Hub methods anywhere on the stack (inclusive): %s.", title, s.samples(), join(s.layers()), join(s.threads()), join(s.hubMethods())));
        return out;
    }

    private static String layer(String type) {
        for (String[] layer : LAYERS) {
            if (type.startsWith(layer[0])) {
                return layer[1];
            }
        }
        return "other libraries";
    }

    private static String threadGroup(String name, boolean virtual) {
        if (name.startsWith("grpc-nio-worker") || name.startsWith("grpc-default-worker") || name.contains("ELG")) {
            return "gRPC transport threads";
        }
        if (name.startsWith("audit-writer")) {
            return "audit writer";
        }
        if (name.startsWith("audit-committed")) {
            return "audit completions (virtual)";
        }
        if (name.startsWith("grpc-call")) {
            return "call threads (virtual)";
        }
        if (name.startsWith("upstream")) {
            return "upstream calls (virtual)";
        }
        if (name.startsWith("ForkJoinPool") || name.startsWith("VirtualThread-unparker")) {
            return "ForkJoin carriers (idle scheduling)";
        }
        return virtual ? "other virtual threads" : "other threads";
    }

    private static Map<String, Double> shares(Map<String, Long> counts, long total, int limit) {
        Map<String, Double> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                .forEach(e -> out.put(e.getKey(), 100.0 * e.getValue() / Math.max(1, total)));
        return out;
    }

    private static String join(Map<String, Double> shares) {
        List<String> parts = new ArrayList<>();
        shares.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.0f %%", k, v)));
        return String.join(", ", parts);
    }
}
