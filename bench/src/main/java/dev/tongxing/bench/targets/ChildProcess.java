package dev.tongxing.bench.targets;

import dev.tongxing.bench.load.JitActivity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the bench starts on its own class path: the baseline, the simulated sources, the hub and
 * every load-generator run each get one, so none of them shares a process with another. Output
 * goes to a log file; readiness is its {@code READY} line.
 */
public final class ChildProcess implements CpuUser, AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static ChildProcess start(String name, List<String> jvmOptions, Class<?> main, List<String> args, Path logDir) throws IOException {
        return start(name, jvmOptions, main, args, logDir, false);
    }

    /**
     * As {@link #start(String, List, Class, List, Path)}; a {@code standIn} runs at the lowest CPU
     * priority (nice 19): it stands for a machine of its own that this one only shares for the bench,
     * so its CPU is what is left over rather than taken from the processes being measured.
     */
    public static ChildProcess start(String name, List<String> jvmOptions, Class<?> main, List<String> args, Path logDir, boolean standIn)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (standIn) {
            command.addAll(List.of("nice", "-n", "19"));
        }
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildProcess(name, process, log);
    }

    /** Waits for the process's READY line; fails naming the log if it exits or takes too long. */
    public ChildProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
        return awaitLine("READY", timeout);
    }

    /** Waits until the process has printed this text; fails naming the log if it exits first or takes too long. */
    public ChildProcess awaitLine(String text, Duration timeout) throws IOException, InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before printing " + text + "; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not print " + text + " within " + timeout.toSeconds() + " s; see " + log);
    }

    /** Sends the process one line on its standard input. */
    public void say(String line) throws IOException {
        var in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for the process to end by itself; fails naming the log if it does not or fails. */
    public void awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " failed with exit code " + process.exitValue() + "; see " + log);
        }
    }

    /** CPU time the process has used so far. */
    @Override
    public Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** CPU time the process's JIT compiler threads have used so far (zero where it cannot be read). */
    @Override
    public Duration compilerCpu() {
        return JitActivity.compilerCpu(process.pid());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
