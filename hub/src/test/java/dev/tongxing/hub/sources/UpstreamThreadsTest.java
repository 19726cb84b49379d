package dev.tongxing.hub.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.hub.resilience.Demand;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A manifest's or prefetch's call to a source runs behind scans in the operating system's eyes; a
 * scan's call, and a waiting call a scan has joined, runs on a virtual thread as before. The test
 * JVM runs with the hub's thread-priority flags (the build's surefire argLine), so on Linux the
 * thread's nice value is the operating system's own word for it.
 */
class UpstreamThreadsTest {

    private record Seen(boolean virtual, int priority, String name, Integer nice) {}

    private final UpstreamThreads threads = new UpstreamThreads();

    @AfterEach
    void close() {
        threads.close();
    }

    @Test
    void manifestAndPrefetchCallsRunAtTheLowestPriority() {
        for (Demand demand : new Demand[] {Demand.manifest(Duration.ofSeconds(5)), Demand.prefetch(Duration.ofSeconds(5))}) {
            Seen seen = runFor(demand);
            assertThat(seen.virtual()).isFalse();
            assertThat(seen.priority()).isEqualTo(Thread.MIN_PRIORITY);
            assertThat(seen.name()).startsWith("upstream-background-");
            if (seen.nice() != null) {
                assertThat(seen.nice()).as("nice value of a manifest's upstream thread").isEqualTo(19);
            }
        }
    }

    @Test
    void scanCallsRunOnVirtualThreadsAtNormalPriority() {
        Seen seen = runFor(Demand.scan());
        assertThat(seen.virtual()).isTrue();
        assertThat(seen.name()).startsWith("upstream-");
        assertThat(seen.name()).doesNotStartWith("upstream-background-");
    }

    @Test
    void aWaitingCallAScanJoinedRunsAsAScan() {
        Demand demand = Demand.manifest(Duration.ofSeconds(5));
        demand.raiseTo(Demand.Kind.SCAN);
        assertThat(runFor(demand).virtual()).isTrue();
    }

    @Test
    void theScanSideKeepsNormalPriorityInTheOperatingSystem() {
        Seen seen = runFor(Demand.scan());
        if (seen.nice() != null) {
            assertThat(seen.nice()).isZero();
        }
    }

    private Seen runFor(Demand demand) {
        return CompletableFuture.supplyAsync(() -> {
            Thread current = Thread.currentThread();
            return new Seen(current.isVirtual(), current.getPriority(), current.getName(), UpstreamThreads.ownNice());
        }, threads.forDemand(demand)).join();
    }
}
