package dev.tongxing.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The benchmark harness works end to end: {@code --quick} starts the sources, both hubs, the
 * baseline and a generator per run as separate processes, runs every scenario briefly and writes
 * a report whose figures are sane. It asserts no timing: figures from a shared machine in a test
 * run mean nothing, and performance is judged from the committed report.
 */
class QuickBenchTest {

    @TempDir
    Path work;

    @Test
    void quickRunWritesASaneReportWithPlots() throws Exception {
        Path results = work.resolve("results");
        int exit = new CommandLine(new TongxingBench()).execute("--quick", "--results", results.toString(), "--work", work.resolve("logs").toString());
        assertThat(exit).isZero();

        String report = Files.readString(results.resolve("report.md"));
        assertThat(report).contains("# Tongxing benchmark report", "## Cached lookups", "## Manifest", "## Xi'an, 9 am", "## Outage",
                "## Memory", "## National model");
        assertThat(report).doesNotContain("NaN", "Infinity");
        assertThat(report).as("how full the stores' disk was").containsPattern("The hubs' stores were on a file system \\d+ % full");

        JsonNode figures = new ObjectMapper().readTree(results.resolve("figures.json").toFile());
        assertThat(figures.at("/cached/baseMax").asDouble()).isPositive();
        assertThat(figures.at("/cached/hubMax").asDouble()).isPositive();
        assertThat(figures.at("/cached/hubAuditOffMax").asDouble()).isPositive();
        assertThat(figures.at("/cached/answerBytes").asInt()).isGreaterThan(100);
        assertThat(figures.at("/cached/auditRecordsPerCommit").asDouble()).as("audit records per commit").isGreaterThanOrEqualTo(1.0);
        assertThat(report).contains("records shared a commit");
        assertThat(figures.at("/manifest/scanP50Ratio").asDouble()).as("scans beside a cold manifest, over alone").isPositive();
        assertThat(figures.at("/surge/withinDeadline").asDouble()).isBetween(0.0, 1.0);
        // Each outage phase is measured twice: its onset, then settled.
        assertThat(report).contains("Onset, the first");
        for (String phase : new String[] {"no fault", "guangdong-ykm blackholed", "guangdong-ykm answering after 5 s"}) {
            assertThat(figures.at("/outage/" + phase + "/othersWorstRatio").isNumber()).as(phase).isTrue();
            assertThat(figures.at("/outage/onset " + phase + "/othersWorstRatio").isNumber()).as("onset " + phase).isTrue();
        }
        assertThat(figures.at("/memory/heapBytes").asLong()).isPositive();
        assertThat(figures.at("/memory/healthEntries").asLong()).isEqualTo(20_000);
        for (String plot : new String[] {"throughput-vs-baseline.svg", "cached-latency-open-loop.svg", "surge-latency.svg",
                "surge-source-load.svg", "surge-provenance.svg"}) {
            assertThat(Files.readString(results.resolve(plot))).startsWith("<svg").contains("</svg>");
            assertThat(report).contains("(" + plot + ")");
        }
    }
}
