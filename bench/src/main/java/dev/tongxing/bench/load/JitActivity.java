package dev.tongxing.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU a JVM's just-in-time compiler threads have used, read from {@code /proc}. A JVM that has
 * just started compiles for many seconds once real load reaches it, and on a 2-core machine that
 * compiler takes a core away from the process it compiles for and from everyone else: a run
 * measured then measures warm-up. Where {@code /proc} is absent (not Linux) it reads zero, and
 * warm-up falls back to its fixed length.
 */
public final class JitActivity {

    private static final Path PROC = Path.of("/proc");
    /** Linux cuts thread names to 15 characters: "C2 CompilerThread0" reads "C2 CompilerThre". */
    private static final String COMPILER_THREAD = "CompilerThre";
    /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux architecture the JDK runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private JitActivity() {}

    /** Compiler threads' CPU time so far in the process with this id; zero if it cannot be read. */
    public static Duration compilerCpu(long pid) {
        Path tasks = PROC.resolve(Long.toString(pid)).resolve("task");
        if (!Files.isDirectory(tasks)) {
            return Duration.ZERO;
        }
        long ticks = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                ticks += compilerTicks(thread.resolve("stat"));
            }
        } catch (IOException | RuntimeException gone) {
            // The process ended, or a thread did while it was listed: what was read counts.
        }
        return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
    }

    private static long compilerTicks(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException gone) {
            return 0;
        }
        // pid (comm) state ... : comm may hold spaces, so fields are counted from the last ')'.
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open || !line.substring(open + 1, close).contains(COMPILER_THREAD)) {
            return 0;
        }
        String[] fields = line.substring(close + 2).split(" ");
        // fields[0] is the state (field 3 of stat); utime and stime are fields 14 and 15.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
