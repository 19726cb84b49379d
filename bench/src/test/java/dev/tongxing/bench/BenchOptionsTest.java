package dev.tongxing.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.bench.load.LoadGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Durations, counts and scenario names out of their range are refused with a message naming the option, before anything starts. */
class BenchOptionsTest {

    @Test
    void benchRefusesNegativeWaits() {
        assertRefused(new CommandLine(new TongxingBench()), "--settle-seconds must be 0 or more", "--settle-seconds", "-1");
        assertRefused(new CommandLine(new TongxingBench()), "--max-warmup-seconds must be 0 or more", "--max-warmup-seconds", "-5");
        assertRefused(new CommandLine(new TongxingBench()), "--outage-onset-seconds must be more than 0", "--outage-onset-seconds", "0");
    }

    @Test
    void benchRefusesUnknownScenariosAndScanRoundsBelowOne() {
        assertRefused(new CommandLine(new TongxingBench()), "--only: unknown scenario 'manfest'", "--only", "cached,manfest");
        assertRefused(new CommandLine(new TongxingBench()), "--only: manifest-scans runs on its own, not with surge", "--only",
                "manifest-scans,surge");
        assertRefused(new CommandLine(new TongxingBench()), "--manifest-scan-rounds must be 1 or more, got 0", "--manifest-scan-rounds", "0");

        TongxingBench some = new TongxingBench();
        new CommandLine(some).parseArgs("--only", "cached,surge", "--only", "memory");
        assertThat(some.only).containsExactly("cached", "surge", "memory");
        TongxingBench scansOnly = new TongxingBench();
        new CommandLine(scansOnly).parseArgs("--only", "manifest-scans", "--manifest-scan-rounds", "5");
        assertThat(scansOnly.only).containsExactly("manifest-scans");
        assertThat(scansOnly.manifestScanRounds).isEqualTo(5);
    }

    @Test
    void generatorRefusesNegativeWarmUps() {
        String[] common = {"--target", "127.0.0.1:1", "--out", "target/never.json"};
        assertRefused(new CommandLine(new LoadGenerator()), "--max-warmup-seconds and --warmup-manifests must be 0 or more",
                TongxingBench.concat(common, "--max-warmup-seconds", "-1"));
        assertRefused(new CommandLine(new LoadGenerator()), "--max-warmup-seconds and --warmup-manifests must be 0 or more",
                TongxingBench.concat(common, "--method", "manifest", "--warmup-manifests", "-2"));
        assertRefused(new CommandLine(new LoadGenerator()), "--warmup-entries must be at least 1, got 0",
                TongxingBench.concat(common, "--method", "manifest", "--warmup-manifests", "1", "--warmup-entries", "0"));
    }

    private static void assertRefused(CommandLine command, String message, String... args) {
        StringWriter err = new StringWriter();
        command.setErr(new PrintWriter(err));
        assertThat(command.execute(args)).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains(message);
    }

}
