package dev.tongxing.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Offered load over time for the open loop: {@code 500} is 500 calls/s throughout;
 * {@code 0:100,10:100,20:1000,40:1000,50:100} rises linearly from 100 to 1,000 calls/s between
 * second 10 and 20, holds, and falls back by second 50.
 */
public record RateProfile(List<double[]> points) {

    public static RateProfile parse(String text) {
        List<double[]> points = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] pair = part.strip().split(":");
            double at = pair.length == 1 ? 0 : Double.parseDouble(pair[0]);
            double rate = Double.parseDouble(pair[pair.length - 1]);
            if (rate <= 0) {
                throw new IllegalArgumentException("--rate: every rate must be positive, got " + rate);
            }
            if (!points.isEmpty() && at < points.getLast()[0]) {
                throw new IllegalArgumentException("--rate: times must not go back (" + text + ")");
            }
            points.add(new double[] {at, rate});
        }
        return new RateProfile(List.copyOf(points));
    }

    /** Calls per second at {@code second} since the start. */
    public double rateAt(double second) {
        double[] previous = points.getFirst();
        for (double[] point : points) {
            if (second < point[0]) {
                double span = point[0] - previous[0];
                return span <= 0 ? point[1] : previous[1] + (point[1] - previous[1]) * (second - previous[0]) / span;
            }
            previous = point;
        }
        return previous[1];
    }
}
