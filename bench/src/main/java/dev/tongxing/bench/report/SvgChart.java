package dev.tongxing.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plain SVG line and bar charts, written by the bench itself so that a report needs nothing but a
 * browser to read and the bench no plotting library: axes with round ticks, one colour per series,
 * a legend, optional dashed horizontal reference lines (a capacity, a deadline).
 */
public final class SvgChart {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};
    private static final int WIDTH = 760, HEIGHT = 360, LEFT = 70, RIGHT = 190, TOP = 40, BOTTOM = 50;

    public record Series(String name, List<double[]> points) {}

    public record Reference(String name, double y) {}

    private SvgChart() {}

    public static void line(Path file, String title, String xLabel, String yLabel, List<Series> series, List<Reference> references)
            throws IOException {
        double xMax = 0, yMax = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                xMax = Math.max(xMax, p[0]);
                yMax = Math.max(yMax, p[1]);
            }
        }
        for (Reference r : references) {
            yMax = Math.max(yMax, r.y());
        }
        double xStep = niceStep(xMax), yStep = niceStep(yMax * 1.05);
        xMax = Math.max(xStep, Math.ceil(xMax / xStep) * xStep);
        yMax = Math.max(yStep, Math.ceil(yMax * 1.05 / yStep) * yStep);
        StringBuilder svg = frame(title, xLabel, yLabel);
        axes(svg, xMax, xStep, yMax, yStep);
        int colour = 0;
        List<String> legend = new ArrayList<>();
        for (Series s : series) {
            String c = COLOURS[colour++ % COLOURS.length];
            StringBuilder path = new StringBuilder();
            for (double[] p : s.points()) {
                path.append(path.isEmpty() ? "M" : " L").append(fmt(x(p[0], xMax))).append(',').append(fmt(y(p[1], yMax)));
            }
            svg.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(c).append("\" stroke-width=\"1.8\"/>\n");
            legend.add(c + "|solid|" + s.name());
        }
        for (Reference r : references) {
            String c = COLOURS[colour++ % COLOURS.length];
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"%s\" stroke-dasharray=\"6,4\"/>%n",
                    LEFT, WIDTH - RIGHT, fmt(y(r.y(), yMax)), fmt(y(r.y(), yMax)), c));
            legend.add(c + "|dash|" + r.name());
        }
        legend(svg, legend);
        write(file, svg);
    }

    /** Horizontal bars, one per label, with the value printed at the bar's end. */
    public static void bars(Path file, String title, String valueLabel, List<String> labels, List<Double> values) throws IOException {
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        double step = niceStep(max * 1.1);
        double top = Math.max(step, Math.ceil(max * 1.1 / step) * step);
        StringBuilder svg = frame(title, valueLabel, "");
        int plotLeft = 260, plotWidth = WIDTH - plotLeft - 40;
        double band = (HEIGHT - TOP - BOTTOM) / (double) Math.max(1, labels.size());
        for (double v = 0; v <= top + 1e-9; v += step) {
            double x = plotLeft + plotWidth * v / top;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%s\" x2=\"%s\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%s\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                    fmt(x), fmt(x), TOP, HEIGHT - BOTTOM, fmt(x), HEIGHT - BOTTOM + 16, tick(v)));
        }
        for (int i = 0; i < labels.size(); i++) {
            double y = TOP + band * i + band * 0.15;
            double w = plotWidth * values.get(i) / top;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>%n",
                    plotLeft, fmt(y), fmt(w), fmt(band * 0.7), COLOURS[i % COLOURS.length]));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%s\" font-size=\"12\" text-anchor=\"end\">%s</text>%n",
                    plotLeft - 6, fmt(y + band * 0.45), escape(labels.get(i))));
            svg.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%s\" font-size=\"11\">%s</text>%n",
                    fmt(plotLeft + w + 4), fmt(y + band * 0.45), tick(values.get(i))));
        }
        write(file, svg);
    }

    private static StringBuilder frame(String title, String xLabel, String yLabel) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", LEFT, escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>%n",
                (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 10, escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>%n",
                (TOP + HEIGHT - BOTTOM) / 2, (TOP + HEIGHT - BOTTOM) / 2, escape(yLabel)));
        return svg;
    }

    private static void axes(StringBuilder svg, double xMax, double xStep, double yMax, double yStep) {
        for (double v = 0; v <= yMax + 1e-9; v += yStep) {
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%s\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
                    LEFT, WIDTH - RIGHT, fmt(y(v, yMax)), fmt(y(v, yMax)), LEFT - 6, fmt(y(v, yMax) + 4), tick(v)));
        }
        for (double v = 0; v <= xMax + 1e-9; v += xStep) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%s\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>%n",
                    fmt(x(v, xMax)), HEIGHT - BOTTOM + 16, tick(v)));
        }
        svg.append(String.format(Locale.ROOT, "<path d=\"M%d,%d L%d,%d L%d,%d\" fill=\"none\" stroke=\"black\"/>%n",
                LEFT, TOP, LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
    }

    private static void legend(StringBuilder svg, List<String> entries) {
        int y = TOP + 6;
        for (String entry : entries) {
            String[] parts = entry.split("\\|", 3);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>"
                    + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>%n", WIDTH - RIGHT + 10, WIDTH - RIGHT + 34, y, y, parts[0],
                    parts[1].equals("dash") ? " stroke-dasharray=\"6,4\"" : "", WIDTH - RIGHT + 40, y + 4, escape(parts[2])));
            y += 18;
        }
    }

    private static double x(double v, double max) {
        return LEFT + (WIDTH - LEFT - RIGHT) * v / max;
    }

    private static double y(double v, double max) {
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * v / max;
    }

    static double niceStep(double range) {
        if (range <= 0) {
            return 1;
        }
        double rough = range / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
        double fraction = rough / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }

    private static String tick(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void write(Path file, StringBuilder svg) throws IOException {
        svg.append("</svg>\n");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, svg, StandardCharsets.UTF_8);
    }
}
