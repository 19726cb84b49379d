package dev.tongxing.bench.targets;

import dev.tongxing.hub.TongxingHub;
import dev.tongxing.hub.audit.UnrecordedAuditForBench;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;

/**
 * The hub under test, as a process of its own: the production hub, unchanged, with the demo
 * configuration (sources, checkpoints, development identity) passed on the command line. With
 * {@code --bench.audit=off} answers are not recorded, which exists only to measure what the audit
 * costs; the hub itself has no such setting.
 */
public final class BenchHub {

    private BenchHub() {}

    public static void main(String[] args) {
        boolean unaudited = Arrays.asList(args).contains("--bench.audit=off");
        Class<?>[] sources = unaudited ? new Class<?>[] {TongxingHub.class, UnrecordedAuditForBench.class} : new Class<?>[] {TongxingHub.class};
        SpringApplication.run(sources, args);
        System.out.println("READY hub" + (unaudited ? " (audit off)" : ""));
    }
}
