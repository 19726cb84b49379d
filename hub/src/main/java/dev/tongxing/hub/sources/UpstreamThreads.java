package dev.tongxing.hub.sources;

import dev.tongxing.hub.resilience.Demand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that ask sources, by who is waiting.
 *
 * <p>A scan's call gets a virtual thread of its own, so a slow province ties up no platform thread.
 * A manifest entry's or a prefetch's call runs on a platform thread at the lowest CPU priority:
 * its HTTP exchange, the parsing of the answer and the check of its signature are most of what a
 * cold manifest costs the hub, and at the lowest priority the operating system runs a waking scan
 * (served inline on a transport thread) first instead of sharing the core with them. On a
 * saturated 2-core machine that is the difference between scans at several times their usual
 * latency while a train is checked and scans at close to it. A manifest loses nothing it was
 * promised: it waits for capacity anyway, within its deadline. Every such call holds one of its
 * source's capacity permits before it gets a thread, so a stalled province holds at most its
 * declared rate times its timeout of them.
 *
 * <p>A JVM hands Java thread priorities to Linux only when started with {@link #JVM_OPTIONS}:
 * the policy, the lowest priority mapped to nice 19 (lowering a thread's priority needs no
 * privilege), and priorities 6 to 10 mapped to nice 0, since the JVM starts its own compiler, GC
 * and finalizer threads above normal and would raise them when run as root (as any other user it
 * could not), so a hub would behave differently by who ran it. Without these options the threads
 * here run at normal priority, and the first of them says so once.
 */
public final class UpstreamThreads implements AutoCloseable {

    /**
     * The JVM options that let {@link Thread#MIN_PRIORITY} reach the operating system as its lowest
     * priority; public for the bench, which starts hubs as this JVM would be started.
     */
    public static final String JVM_OPTIONS = "-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19"
            + " -XX:JavaPriority6_To_OSPriority=0 -XX:JavaPriority7_To_OSPriority=0 -XX:JavaPriority8_To_OSPriority=0"
            + " -XX:JavaPriority9_To_OSPriority=0 -XX:JavaPriority10_To_OSPriority=0";

    private static final Logger log = LoggerFactory.getLogger(UpstreamThreads.class);
    private static final Path OWN_STAT = Path.of("/proc/thread-self/stat");

    private final ExecutorService forScans = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("upstream-", 0).factory());
    private final ExecutorService forWaiting;
    private final AtomicBoolean priorityChecked = new AtomicBoolean();

    UpstreamThreads() {
        ThreadFactory low = Thread.ofPlatform().name("upstream-background-", 0).daemon(true).priority(Thread.MIN_PRIORITY).factory();
        forWaiting = Executors.newCachedThreadPool(task -> low.newThread(() -> {
            if (priorityChecked.compareAndSet(false, true)) {
                warnIfNotLowered();
            }
            task.run();
        }));
    }

    /** Where a call for this demand runs; a demand raised to a scan's urgency while it waited runs as a scan. */
    ExecutorService forDemand(Demand demand) {
        return demand.waits() ? forWaiting : forScans;
    }

    /** Run on a low-priority thread: Linux shows the thread's own nice value in its stat line. */
    private static void warnIfNotLowered() {
        Integer nice = ownNice();
        if (nice != null && nice <= 0) {
            log.warn("manifest and prefetch calls to sources run at normal CPU priority, so a cold manifest slows scans on a busy "
                    + "machine: start the hub's JVM with {}", JVM_OPTIONS);
        }
    }

    /** This thread's nice value, or null where the system does not show it. */
    static Integer ownNice() {
        try {
            String stat = Files.readString(OWN_STAT);
            // Fields after the command name in parentheses (which may hold spaces): state is 3rd, nice 19th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        forScans.shutdownNow();
        forWaiting.shutdownNow();
    }
}
