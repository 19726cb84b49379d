package dev.tongxing.bench;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub's own account of the time from each call's capacity permit to its request being sent
 * ({@code tongxing_source_send_delay_seconds}: p99.9 and maximum over the last two minutes) and
 * of the permits that were too old when their request was about to go
 * ({@code tongxing_source_stale_permits_total}). A long, uneven delay there is what makes a
 * source see more than the limiter handed out in some second.
 */
record HubSendDelays(Map<String, Double> p999Ms, Map<String, Double> maxMs, Map<String, Double> renewed, Map<String, Double> notSent) {

    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern SOURCE = Pattern.compile("source=\"([^\"]+)\"");

    static HubSendDelays read(int opsPort) throws IOException, InterruptedException {
        String body = LoopbackGet.hubMetrics(opsPort);
        HubSendDelays delays = new HubSendDelays(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        for (String line : body.split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Matcher source = SOURCE.matcher(m.group(2));
            if (!source.find()) {
                continue;
            }
            String id = source.group(1);
            double value = Double.parseDouble(m.group(3));
            switch (m.group(1)) {
                case "tongxing_source_send_delay_seconds" -> {
                    if (m.group(2).contains("quantile=\"0.999\"")) {
                        delays.p999Ms.put(id, value * 1000);
                    }
                }
                case "tongxing_source_send_delay_seconds_max" -> delays.maxMs.put(id, value * 1000);
                case "tongxing_source_stale_permits_total" -> (m.group(2).contains("outcome=\"renewed\"") ? delays.renewed : delays.notSent)
                        .merge(id, value, Double::sum);
                default -> { }
            }
        }
        return delays;
    }
}
