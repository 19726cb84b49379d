package dev.tongxing.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.bench.load.LoadGenerator;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Durations and counts out of their range are refused with a message naming the option, before anything starts. */
class BenchOptionsTest {

    @Test
    void benchRefusesNegativeWaits() {
        assertRefused(new CommandLine(new TongxingBench()), "--settle-seconds must be 0 or more", "--settle-seconds", "-1");
        assertRefused(new CommandLine(new TongxingBench()), "--max-warmup-seconds must be 0 or more", "--max-warmup-seconds", "-5");
        assertRefused(new CommandLine(new TongxingBench()), "--outage-onset-seconds must be more than 0", "--outage-onset-seconds", "0");
    }

    @Test
    void generatorRefusesNegativeWarmUps() {
        String[] common = {"--target", "127.0.0.1:1", "--out", "target/never.json"};
        assertRefused(new CommandLine(new LoadGenerator()), "--max-warmup-seconds and --warmup-manifests must be 0 or more",
                TongxingBench.concat(common, "--max-warmup-seconds", "-1"));
        assertRefused(new CommandLine(new LoadGenerator()), "--max-warmup-seconds and --warmup-manifests must be 0 or more",
                TongxingBench.concat(common, "--method", "manifest", "--warmup-manifests", "-2"));
    }

    private static void assertRefused(CommandLine command, String message, String... args) {
        StringWriter err = new StringWriter();
        command.setErr(new PrintWriter(err));
        assertThat(command.execute(args)).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains(message);
    }

}
