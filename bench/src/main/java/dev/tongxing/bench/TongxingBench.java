package dev.tongxing.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tongxing.api.access.AccessToken;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.bench.load.LoadGenerator;
import dev.tongxing.bench.load.LoadResult;
import dev.tongxing.bench.load.Travelers;
import dev.tongxing.bench.report.SvgChart;
import dev.tongxing.bench.targets.BaselineServer;
import dev.tongxing.bench.targets.BenchHub;
import dev.tongxing.bench.targets.ChildProcess;
import dev.tongxing.bench.targets.CpuUser;
import dev.tongxing.bench.targets.FaultySourceProxy;
import dev.tongxing.bench.targets.SimulatedSourcesProcess;
import dev.tongxing.hub.sources.UpstreamThreads;
import dev.tongxing.localpostgres.LocalPostgres;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.springframework.util.FileSystemUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs every scenario of the hub's benchmark and writes the report. Each party runs in a process
 * of its own: the simulated sources, the hub (twice: audit on, and audit off for its cost), the
 * bare gRPC baseline and every load-generator run. Every hub figure is given with the same run's
 * baseline figure beside it. All traffic stays on loopback; every phase is bounded in time.
 */
@Command(name = "tongxing-bench", mixinStandardHelpOptions = true,
        description = "Benchmarks the Tongxing hub against a same-run bare gRPC server; writes Markdown and SVG under --results.")
public final class TongxingBench implements Callable<Integer> {

    @Option(names = "--quick", description = "every scenario, tiny and short (under two minutes), C1-compiled: proves the harness, measures nothing")
    boolean quick;
    @Option(names = "--results", defaultValue = "bench/results", description = "where the report and plots go")
    Path results;
    @Option(names = "--work", defaultValue = "bench/target/bench-logs", description = "process logs and raw run results")
    Path work;
    @Option(names = "--population", defaultValue = "1000000", description = "simulated travelers (the Xi'an scenario's 1 M)")
    int population;
    @Option(names = "--hot-travelers", defaultValue = "500", description = "cached-lookup working set, cached before measuring")
    int hotTravelers;
    @Option(names = "--seconds", defaultValue = "10", description = "length of each maximum-throughput run")
    double seconds;
    @Option(names = "--warmup-seconds", defaultValue = "5", description = "unmeasured run before each maximum-throughput run")
    double warmupSeconds;
    @Option(names = "--open-seconds", defaultValue = "6", description = "length of each fixed-rate (open-loop) run")
    double openSeconds;
    @Option(names = "--connections", defaultValue = "4")
    int connections;
    @Option(names = "--in-flight", defaultValue = "64", description = "closed loop: calls in flight over all connections")
    int inFlight;
    @Option(names = "--surge-base-rate", defaultValue = "0", description = "Xi'an: lookups/s before and after the surge (x10 at its peak); 0 = 5 % of the hub's measured maximum, at most 150 (a peak of the six sources' capacity together)")
    double surgeBaseRate;
    /** Unmeasured seconds at the surge's base rate before it, for the generator's JVM. */
    private static final int SURGE_WARMUP_SECONDS = 2;
    @Option(names = "--surge-seconds", defaultValue = "10,10,15,10,15", split = ",", description = "Xi'an phases: before, rise, peak, fall, after")
    List<Double> surgePhases;
    @Option(names = "--outage-rate", defaultValue = "300", description = "lookups/s during the outage scenario")
    double outageRate;
    @Option(names = "--outage-seconds", defaultValue = "15", description = "length of each outage phase, measured after its onset")
    double outageSeconds;
    double outageOnsetSeconds;
    /** Unmeasured seconds before each outage run, for its generator's JVM. */
    private static final int OUTAGE_WARMUP_SECONDS = 2;
    @Option(names = "--manifest-entries", defaultValue = "2000")
    int manifestEntries;
    @Option(names = "--manifest-scan-rate", defaultValue = "500", description = "manifest: scans/s measured alone and beside a cold manifest")
    int manifestScanRate;
    @Option(names = "--manifest-scan-seconds", defaultValue = "6", description = "manifest: length of each scan run")
    double manifestScanSeconds;
    int manifestScanRounds;

    @Option(names = "--manifest-scan-rounds", defaultValue = "3", description = "manifest: rounds of scans alone, then beside a cold manifest")
    void manifestScanRounds(int rounds) {
        if (rounds < 1) {
            throw new ParameterException(spec.commandLine(), "--manifest-scan-rounds must be 1 or more, got " + rounds);
        }
        manifestScanRounds = rounds;
    }
    @Option(names = "--memory-travelers", defaultValue = "1000000")
    int memoryTravelers;
    @Option(names = "--national-travelers", defaultValue = "100000000", description = "national model: travelers active on the peak morning")
    long nationalTravelers;
    @Option(names = "--zipf-exponent", defaultValue = "1.0")
    double zipfExponent;
    @Option(names = "--hub-heap", defaultValue = "1g")
    String hubHeap;
    @Option(names = "--profile", description = "also record a JFR profile of the hub (audit on) into this file")
    Path profile;
    List<String> only;

    private static final List<String> SCENARIOS = List.of("cached", "manifest", "surge", "outage", "memory");
    private static final String MANIFEST_SCANS_ONLY = "manifest-scans";
    /** Unmeasured streams of cached travelers a manifest's generator sends before it waits to stream a cold train. */
    private static final int MANIFEST_GENERATOR_WARMUPS = 5;

    @Option(names = "--only", split = ",", description = "run only these scenarios: cached, manifest, surge, outage, memory (the national model needs cached, surge and memory); "
            + "manifest-scans alone runs only the manifest's scans-beside-a-cold-manifest rounds, without the cached section")
    void only(List<String> scenarios) {
        for (String scenario : scenarios) {
            if (!SCENARIOS.contains(scenario) && !scenario.equals(MANIFEST_SCANS_ONLY)) {
                throw new ParameterException(spec.commandLine(), "--only: unknown scenario '" + scenario + "'; the scenarios are "
                        + String.join(", ", SCENARIOS) + ", or " + MANIFEST_SCANS_ONLY + " on its own");
            }
        }
        if (scenarios.contains(MANIFEST_SCANS_ONLY) && scenarios.size() > 1) {
            throw new ParameterException(spec.commandLine(), "--only: " + MANIFEST_SCANS_ONLY + " runs on its own, not with "
                    + String.join(", ", scenarios.stream().filter(scenario -> !scenario.equals(MANIFEST_SCANS_ONLY)).toList()));
        }
        only = List.copyOf(scenarios);
    }
    @Option(names = "--hub-arg", description = "a setting for both hubs, repeatable, e.g. --hub-arg=--tongxing.audit.journal.fsync=false")
    List<String> hubArgs = new ArrayList<>();
    @Option(names = "--hub-jvm-arg", description = "a JVM option for both hubs, repeatable, e.g. --hub-jvm-arg=-XX:+UseZGC")
    List<String> hubJvmArgs = new ArrayList<>();
    @Option(names = "--no-postgres", description = "skip the audit-on run with a PostgreSQL store even where the machine has the server")
    boolean noPostgres;
    @Option(names = "--note", defaultValue = "", description = "a line for the report's header, e.g. what else ran on the machine")
    String note;
    int settleSeconds;
    double maxWarmupSeconds;
    @Spec
    CommandSpec spec;

    @Option(names = "--settle-seconds", defaultValue = "180", description = "wait up to this long for the machine's load average to fall below 1 before starting (0: start at once)")
    void settleSeconds(int seconds) {
        settleSeconds = notNegative("--settle-seconds", seconds).intValue();
    }

    @Option(names = "--max-warmup-seconds", defaultValue = "30", description = "maximum-throughput runs: warm up past --warmup-seconds, a second at a time, until the target's and the generator's JIT compilers go quiet, for at most this long")
    void maxWarmupSeconds(double seconds) {
        maxWarmupSeconds = notNegative("--max-warmup-seconds", seconds).doubleValue();
    }

    @Option(names = "--outage-onset-seconds", defaultValue = "5", description = "the first seconds of each outage phase, measured apart while the breaker learns of the fault")
    void outageOnsetSeconds(double seconds) {
        if (seconds <= 0) {
            // A run of no seconds has no rate to report.
            throw new ParameterException(spec.commandLine(), "--outage-onset-seconds must be more than 0, got " + seconds);
        }
        outageOnsetSeconds = seconds;
    }

    private Number notNegative(String option, Number value) {
        if (value.doubleValue() < 0) {
            throw new ParameterException(spec.commandLine(), option + " must be 0 or more, got " + value);
        }
        return value;
    }

    private static final double MAX_DEFAULT_SURGE_BASE_RATE = 150;

    private static final int IDLE_WAIT_SECONDS = 30;
    /** Below this a target is idle: an audited hub's background work (chain signing, journal copying) is a few hundredths. */
    private static final double IDLE_CORES = 0.2;

    private final CpuSampler cpu = new CpuSampler();
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> report = new ArrayList<>();
    private Path logs;
    private volatile ChildProcess sources, hub, unauditedHub, baseline, generator, background;
    private int hubPort, hubOps, unauditedPort, unauditedOps, baselinePort, sourcesHttp, sourcesGrpc;
    private FaultySourceProxy proxy;
    private int runs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TongxingBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (quick) {
            population = 20_000;
            hotTravelers = 100;
            seconds = 2;
            warmupSeconds = 1;
            maxWarmupSeconds = 1;
            openSeconds = 1.5;
            surgePhases = List.of(1.0, 2.0, 2.0, 2.0, 2.0);
            outageRate = 100;
            outageSeconds = 2;
            outageOnsetSeconds = 1;
            manifestEntries = 200;
            manifestScanRate = 100;
            manifestScanSeconds = 1.5;
            manifestScanRounds = 1;
            memoryTravelers = 20_000;
            inFlight = 16;
            connections = 2;
        }
        Files.createDirectories(results);
        logs = work;
        // Children are separate processes: they must not outlive the bench, however it ends.
        Thread cleanup = new Thread(this::stopAll, "stop-bench-processes");
        Runtime.getRuntime().addShutdownHook(cleanup);
        if (!quick) {
            settle();
        }
        Instant started = Instant.now();
        double loadBefore = loadAverage();
        Files.createDirectories(logs);
        String disk = diskOf(logs);
        try {
            startTargets();
            Map<String, Object> figures = new LinkedHashMap<>();
            if (only != null && only.contains(MANIFEST_SCANS_ONLY)) {
                figures.put("manifest-scans", scansBesideManifestsOnly());
            } else {
                figures.put("cached", cachedLookups());
            }
            if (runs("manifest")) {
                figures.put("manifest", manifests());
            }
            if (runs("surge")) {
                figures.put("surge", morningSurge((double) ((Map<?, ?>) figures.get("cached")).get("hubMax")));
            }
            if (runs("outage")) {
                figures.put("outage", outages());
            }
            if (runs("memory")) {
                figures.put("memory", cacheMemory());
            }
            if (figures.containsKey("surge") && figures.containsKey("memory")) {
                nationalModel(castMap(figures.get("cached")), castMap(figures.get("surge")), castMap(figures.get("memory")));
            }
            if (profile != null) {
                profileSection(castMap(figures.get("cached")), started);
            }
            header(started, loadBefore, loadAverage(), disk);
            Files.write(results.resolve("report.md"), report);
            json.writerWithDefaultPrettyPrinter().writeValue(results.resolve("figures.json").toFile(), figures);
            System.out.println("Report: " + results.resolve("report.md").toAbsolutePath());
        } finally {
            stopAll();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        return 0;
    }

    private synchronized void stopAll() {
        for (ChildProcess p : new ChildProcess[] {generator, background, baseline, unauditedHub, hub, sources}) {
            if (p != null) {
                p.close();
            }
        }
        generator = background = baseline = unauditedHub = hub = sources = null;
        if (proxy != null) {
            try {
                proxy.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            proxy = null;
        }
        cpu.close();
    }

    // ---------------------------------------------------------------- processes

    private void startTargets() throws Exception {
        sourcesHttp = freePort();
        sourcesGrpc = freePort();
        // The six simulated provinces share this one JVM, so a long collection there is all six down at once: with
        // the parallel collector a million travelers' simulators paused 1.1 s in a young collection mid-surge and
        // every source's breaker opened. ZGC's pauses are under a millisecond.
        sources = child("sources", List.of("-Xmx" + (population > 100_000 ? "3g" : "512m"), "-XX:+UseZGC", gcLog("sources")),
                SimulatedSourcesProcess.class, List.of("" + sourcesHttp, "" + sourcesGrpc, "" + population, "15", "60"));
        // Guangdong's system is reached through a relay that the outage scenario makes fail.
        proxy = new FaultySourceProxy(sourcesHttp);
        hubPort = freePort();
        hubOps = freePort();
        unauditedPort = freePort();
        unauditedOps = freePort();
        hub = startHub("hub", hubPort, hubOps, false);
        unauditedHub = startHub("hub-audit-off", unauditedPort, unauditedOps, true);
        sources.awaitReady(Duration.ofMinutes(3));
        hub.awaitReady(Duration.ofMinutes(3));
        unauditedHub.awaitReady(Duration.ofMinutes(3));
        cpu.watch(hub);
        cpu.watch(unauditedHub);
        cpu.watch(sources);
    }

    /**
     * Starts one of the bench's processes. A {@code --quick} run measures nothing, so its JVMs
     * compile with C1 only: each process runs a few seconds, too short for C2 to pay back the CPU
     * its compilations take from the others on a two-core machine.
     */
    private ChildProcess child(String name, List<String> jvm, Class<?> main, List<String> args) throws IOException {
        return child(name, jvm, main, args, false);
    }

    private ChildProcess child(String name, List<String> jvm, Class<?> main, List<String> args, boolean standIn) throws IOException {
        List<String> options = new ArrayList<>(jvm);
        if (quick) {
            options.add("-XX:TieredStopAtLevel=1");
        }
        return ChildProcess.start(name, options, main, args, logs, standIn);
    }

    private ChildProcess startHub(String name, int port, int ops, boolean auditOff, String... settings) throws IOException {
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + hubHeap, "-Xms" + hubHeap, "--enable-native-access=ALL-UNNAMED"));
        jvm.addAll(List.of(UpstreamThreads.JVM_OPTIONS.split(" ")));
        jvm.add(gcLog(name));
        if (profile != null && !auditOff) {
            jvm.add("-XX:StartFlightRecording=filename=" + profile.toAbsolutePath() + ",settings=profile");
        }
        jvm.addAll(hubJvmArgs);
        // Empty stores every run: an audit log grown by earlier runs makes each insert dearer, and
        // the figures would drift with what the work directory happened to hold (5.7 GB once).
        Path store = logs.resolve(name + "-data");
        FileSystemUtils.deleteRecursively(store);
        List<String> args = new ArrayList<>(List.of(
                "--spring.config.import=classpath:tongxing-demo.yml",
                "--tongxing.demo.port=" + sourcesHttp,
                "--tongxing.demo.grpc-port=" + sourcesGrpc,
                "--tongxing.grpc.port=" + port,
                "--server.port=" + ops,
                "--tongxing.exchange.store-dir=" + store.toAbsolutePath(),
                "--tongxing.audit.replica-id=bench-" + name + "-" + ProcessHandle.current().pid(),
                "--tongxing.sources.guangdong-ykm.endpoint=http://127.0.0.1:" + proxy.port() + "/guangdong/ykm/api/v2/healthcode",
                "--logging.level.root=WARN",
                "--logging.level.dev.tongxing=WARN"));
        if (auditOff) {
            args.add("--bench.audit=off");
        }
        args.addAll(List.of(settings));
        args.addAll(hubArgs);
        Files.deleteIfExists(logs.resolve(name + ".log"));
        return child(name, jvm, BenchHub.class, args);
    }

    private void startBaseline(TravelerStatus answer) throws Exception {
        Path answerFile = logs.resolve("baseline-answer.bin");
        Files.createDirectories(logs);
        Files.write(answerFile, answer.toByteArray());
        baselinePort = freePort();
        baseline = child("baseline", List.of("-Xmx256m"), BaselineServer.class, List.of("" + baselinePort, answerFile.toString()))
                .awaitReady(Duration.ofMinutes(1));
        cpu.watch(baseline);
    }

    /** Every collection of the process's heap, with its pause, in the work directory: a stall in a run is often one. */
    private String gcLog(String process) {
        return "-Xlog:gc:file=" + logs.resolve(process + "-gc.log").toAbsolutePath() + ":uptime,time";
    }

    /** Below Linux's default ephemeral range (32768-60999), from which the kernel picks outgoing connections' own ports. */
    private static final int FIRST_LISTENING_PORT = 20_000;
    private static final int LAST_LISTENING_PORT = 32_767;
    private static final Set<Integer> portsGiven = ConcurrentHashMap.newKeySet();

    /**
     * A port a process of the bench will listen on. Not one the kernel chose (port 0): such a port
     * is ephemeral, and between this check and the child's bind an outgoing connection of another
     * process could take it as its own port, which once failed a run with "port already in use".
     */
    private static int freePort() throws IOException {
        for (int tries = 0; tries < 1000; tries++) {
            int port = ThreadLocalRandom.current().nextInt(FIRST_LISTENING_PORT, LAST_LISTENING_PORT + 1);
            if (!portsGiven.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // another process listens there: try another
            }
        }
        throw new IOException("no free port between " + FIRST_LISTENING_PORT + " and " + LAST_LISTENING_PORT + " on loopback");
    }

    private static URI tokenUrl(int ops) {
        return URI.create("http://127.0.0.1:" + ops + "/dev-identity/token");
    }

    /**
     * Waits, at most {@value #IDLE_WAIT_SECONDS} s, until a target has worked off what its last run left it: an open-loop run
     * beyond its capacity leaves calls queued in the target, and their CPU would otherwise fall into the next run, whichever
     * target that measures (a profiled hub's 75 % run once left the baseline's run after it at a quarter of its rate).
     */
    private void awaitIdle(ChildProcess target) throws InterruptedException {
        long deadline = System.currentTimeMillis() + IDLE_WAIT_SECONDS * 1000L;
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            long sampled = System.currentTimeMillis() - CpuSampler.PERIOD_MILLIS;
            if (cpu.coresBetween(target, sampled - 500, sampled) < IDLE_CORES) {
                return;
            }
        }
        System.out.printf(Locale.ROOT, "%s still busy after %d s; measuring on%n", target.name(), IDLE_WAIT_SECONDS);
    }

    /** One load-generator run in a fresh JVM; the targets' CPU over its measured span goes into the result's map. */
    private Measured load(String label, int port, int ops, ChildProcess target, String... options) throws Exception {
        return finish(startLoad(label, port, ops, target, options));
    }

    /** A load generator started and not yet awaited: for a run beside another one. */
    private record Running(ChildProcess process, Path out, ChildProcess target, String label) {}

    private Running startLoad(String label, int port, int ops, ChildProcess target, String... options) throws Exception {
        return startLoad(label, port, ops, target, false, options);
    }

    /** As above; a {@code standIn} generator runs at the lowest CPU priority (see {@link ChildProcess#start}). */
    private Running startLoad(String label, int port, int ops, ChildProcess target, boolean standIn, String... options) throws Exception {
        Path out = logs.resolve("run-" + (++runs) + ".json");
        List<String> args = new ArrayList<>(List.of("--target", "127.0.0.1:" + port, "--label", label, "--out", out.toString()));
        if (!List.of(options).contains("--in-flight")) {
            args.addAll(List.of("--connections", "" + connections, "--in-flight", "" + inFlight));
        }
        if (ops > 0) {
            args.addAll(List.of("--token-url", tokenUrl(ops).toString()));
        }
        if (target != null) {
            args.addAll(List.of("--settle-pid", "" + target.pid()));
        }
        args.addAll(List.of(options));
        ChildProcess started = child("load-" + runs, List.of("-Xmx512m", "-XX:+UseParallelGC"), LoadGenerator.class, args, standIn);
        cpu.watch(started);
        if (generator == null) {
            generator = started;
        } else {
            background = started;
        }
        return new Running(started, out, target, label);
    }

    private Measured finish(Running running) throws Exception {
        running.process().awaitExit(Duration.ofMinutes(10));
        if (generator == running.process()) {
            generator = null;
        } else {
            background = null;
        }
        ChildProcess target = running.target();
        String label = running.label();
        LoadResult result = json.readValue(running.out().toFile(), LoadResult.class);
        long from = result.startedAtMillis();
        long to = result.endedAtMillis();
        double targetCores = target == null ? 0 : cpu.coresBetween(target, from, to);
        double sourcesCores = cpu.coresBetween(sources, from, to);
        double targetCompiler = target == null ? 0 : cpu.compilerCoresBetween(target, from, to);
        double generatorCompiler = cpu.compilerCoresBetween(running.process(), from, to);
        cpu.forget(running.process());
        System.out.printf(Locale.ROOT, "%-40s %9.0f calls/s  p50 %7.2f ms  p99 %7.2f ms  target %.2f cores  generator %.2f cores"
                        + "  sources %.2f cores  (JIT %.2f / %.2f, warm-up %.0f s)%n", label, result.callsPerSecond(), result.latency().p50Ms(), result.latency().p99Ms(),
                targetCores, result.generatorCpu(), sourcesCores, targetCompiler, generatorCompiler, result.warmedUpSeconds());
        return new Measured(result, targetCores, sourcesCores, targetCompiler, generatorCompiler);
    }

    /**
     * @param targetCompilerCores    cores the target's JIT compiler used during the measured run
     * @param generatorCompilerCores the same for the generator's: either one well above zero means
     *                               the run measured warm-up too
     */
    record Measured(LoadResult load, double targetCores, double sourcesCores, double targetCompilerCores, double generatorCompilerCores) {
        double perSecond() {
            return load.callsPerSecond();
        }

        double p(double percentile) {
            LoadResult.Latency l = load.latency();
            return percentile == 50 ? l.p50Ms() : percentile == 99 ? l.p99Ms() : l.p999Ms();
        }

        /** Target CPU milliseconds per call. */
        double cpuMsPerCall() {
            return load.callsPerSecond() == 0 ? 0 : targetCores * 1000 / load.callsPerSecond();
        }
    }

    /** The audited hub's cached run with the production store, and what the store's server spent meanwhile. */
    private record StoreRun(Measured measured, double serverCores, String serverVersion) {}

    /**
     * Cached lookups against a third hub whose audit log (and exchange store) is PostgreSQL, set up as
     * deployed: records committed to the server directly, no journal, fsync on, inserts of a group
     * sent as multi-row statements. The server's CPU is measured apart from the hub's.
     */
    private StoreRun withPostgres(String[] fill, String[] closed) throws Exception {
        try (LocalPostgres server = LocalPostgres.start(true)) {
            var database = server.newDatabase("tongxing_bench");
            String version;
            try (var connection = database.getConnection()) {
                version = connection.getMetaData().getDatabaseProductVersion();
            }
            int port = freePort();
            int ops = freePort();
            // Not the data source's own URL: that one spells out every driver setting, reWriteBatchedInserts=false among them.
            String url = "jdbc:postgresql://" + database.getServerNames()[0] + ":" + database.getPortNumbers()[0] + "/" + database.getDatabaseName();
            ChildProcess storeHub = startHub("hub-postgres", port, ops, false, "--spring.datasource.url=" + url,
                    "--spring.datasource.username=" + database.getUser(), "--spring.datasource.password=",
                    "--tongxing.audit.journal.enabled=false", "--spring.datasource.hikari.data-source-properties.reWriteBatchedInserts=true");
            CpuUser serverCpu = server::cpu;
            try {
                storeHub.awaitReady(Duration.ofMinutes(3));
                cpu.watch(storeHub);
                cpu.watch(serverCpu);
                load("fill hub (PostgreSQL) cache", port, ops, storeHub, fill);
                Measured run = load("hub, cached GetStatus, PostgreSQL store", port, ops, storeHub, closed);
                return new StoreRun(run, cpu.coresBetween(serverCpu, run.load().startedAtMillis(), run.load().endedAtMillis()), version);
            } finally {
                cpu.forget(serverCpu);
                cpu.forget(storeHub);
                storeHub.close();
            }
        }
    }

    // ---------------------------------------------------------------- scenarios

    /**
     * Caches the working set: each traveler in turn, twice over, a few at a time, which keeps every
     * source well within its declared capacity however fast or slow the hub is.
     */
    private String[] fillOptions() {
        return new String[] {"--in-flight", "4", "--calls", "" + 2 * hotTravelers, "--seconds", "600", "--keys", "sequential",
                "--travelers", "" + hotTravelers};
    }

    private void fillHubCache() throws Exception {
        load("fill hub cache", hubPort, hubOps, hub, fillOptions());
    }

    /** Cached lookups: maximum throughput against the baseline, then latency at fixed shares of the hub's maximum. */
    private Map<String, Object> cachedLookups() throws Exception {
        // The working set, cached in both hubs.
        String[] fill = fillOptions();
        fillHubCache();
        TravelerStatus sample = sampleAnswer();
        startBaseline(sample);

        String[] closed = {"--seconds", "" + seconds, "--warmup-seconds", "" + warmupSeconds, "--max-warmup-seconds", "" + maxWarmupSeconds,
                "--keys", "uniform", "--travelers", "" + hotTravelers};
        Measured base = load("baseline (bare gRPC)", baselinePort, hubOps, baseline, closed);
        AuditProgress auditBefore = AuditProgress.read(hubOps);
        Measured cachedHub = load("hub, cached GetStatus", hubPort, hubOps, hub, closed);
        AuditProgress auditAfter = AuditProgress.read(hubOps);
        Optional<Duration> storeCaughtUp = AuditProgress.awaitCaughtUp(hubOps, Duration.ofSeconds(120));
        // Filled just before its run, so that its answers are as fresh (within fresh-for) as the other hub's were.
        load("fill hub (audit off) cache", unauditedPort, unauditedOps, unauditedHub, fill);
        Measured unaudited = load("hub, cached GetStatus, audit off", unauditedPort, unauditedOps, unauditedHub, closed);
        double unauditedRecords = AuditProgress.read(unauditedOps).records();
        if (unauditedRecords > 0) {
            // A way into the audit writer that the bench's unrecording writer does not override: once it did.
            throw new IllegalStateException("the audit-off hub recorded " + (long) unauditedRecords
                    + " audit records, so its figure would be audit on's; see UnrecordedAuditForBench");
        }
        Measured health = load("hub, health check", hubPort, 0, hub, concat(closed, "--method", "health"));
        unauditedHub.close();
        cpu.forget(unauditedHub);
        unauditedHub = null;
        Optional<StoreRun> postgres = quick || noPostgres || !LocalPostgres.available() ? Optional.empty() : Optional.of(withPostgres(fill, closed));

        report.add("## Cached lookups");
        report.add("");
        report.add(String.format(Locale.ROOT, "GetStatus for %d travelers cached beforehand (uniformly chosen), closed loop: %d calls in flight over %d "
                + "connections, %.0f s after at least %.0f s of warm-up, longer (up to %.0f s) until the JIT compilers of the target and of the "
                + "generator each used at most 5 %% of a core in a second: on 2 cores a compiler still at work takes most of one from the run. "
                + "Every call carries the `bench-load` checkpoint's access token, the baseline's "
                + "too. The baseline answers the hub's own answer (%d bytes). CPU is each process's own, in cores busy (the machine has %d).",
                hotTravelers, inFlight, connections, seconds, warmupSeconds, Math.max(warmupSeconds, maxWarmupSeconds), sample.getSerializedSize(),
                Runtime.getRuntime().availableProcessors()));
        report.add("");
        report.add("| target | calls/s | vs baseline | p50 ms | p99 ms | p99.9 ms | p99 vs baseline | target CPU (cores) | target CPU ms/call | generator CPU (cores, share of machine) | warm-up s | JIT compiler in run (target, generator cores) | outcomes |");
        report.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        List<Measured> rows = new ArrayList<>(List.of(base, cachedHub, unaudited, health));
        postgres.ifPresent(run -> rows.add(2, run.measured()));
        for (Measured m : rows) {
            report.add(String.format(Locale.ROOT, "| %s | %,.0f | %.2f× | %.2f | %.2f | %.2f | %.2f× | %.2f | %.3f | %.2f (%.0f %%) | %.0f | %.2f, %.2f | %s |",
                    m.load().label(), m.perSecond(), m.perSecond() / base.perSecond(), m.p(50), m.p(99), m.p(99.9), m.p(99) / base.p(99),
                    m.targetCores(), m.cpuMsPerCall(), m.load().generatorCpu(), 100 * m.load().generatorCpuShare(), m.load().warmedUpSeconds(),
                    m.targetCompilerCores(), m.generatorCompilerCores(), outcomes(m.load())));
        }
        report.add("");
        report.add(String.format(Locale.ROOT, "**Cached throughput: %.2f× the bare server** (target ≥ 0.8×). With audit off the hub "
                + "reaches %.2f× bare, so audit on runs at %.2f× audit off; per call the hub spends %.3f ms CPU with audit and %.3f ms "
                + "without. The generator drives the bare server %.1f× faster than the hub, with the same generator settings, so the "
                + "hub's figure is the hub's, not the generator's.",
                cachedHub.perSecond() / base.perSecond(), unaudited.perSecond() / base.perSecond(),
                cachedHub.perSecond() / unaudited.perSecond(), cachedHub.cpuMsPerCall(), unaudited.cpuMsPerCall(),
                base.perSecond() / cachedHub.perSecond()));
        report.add("");
        report.add(String.format(Locale.ROOT, "Audit on, %.1f records shared a commit over the run and its warm-up. When the run ended the "
                        + "store was %,.0f records behind the journal (every record was durable in the journal before its answer left; the "
                        + "store is copied from it behind the answers) and %s.",
                auditAfter.recordsPerCommitSince(auditBefore), auditAfter.copyBacklog(),
                storeCaughtUp.map(took -> String.format(Locale.ROOT, "held every record %.1f s later", took.toMillis() / 1000.0))
                        .orElse("had not caught up 120 s later")));
        report.add("");
        report.add(postgres.map(run -> String.format(Locale.ROOT, "With the production store instead (PostgreSQL %s, a server process "
                        + "on the same machine, every commit durable with fsync; no journal, as `deploy/config` runs it), audit on reaches "
                        + "**%.2f× audit off** (%.2f× bare): the hub spends %.3f ms CPU per call and the server %.2f cores, %.3f ms per record. "
                        + "The embedded default journals and stores its records in the hub's own process (a journal, then its own SQLite "
                        + "file); PostgreSQL's work is in the server's process, which here shares the hub's two cores.",
                        run.serverVersion(), run.measured().perSecond() / unaudited.perSecond(), run.measured().perSecond() / base.perSecond(),
                        run.measured().cpuMsPerCall(), run.serverCores(), run.serverCores() * 1000 / run.measured().perSecond()))
                .orElse(quick || noPostgres ? "The run with a PostgreSQL store was skipped (--quick or --no-postgres)."
                        : "No PostgreSQL server on this machine (Debian's `postgresql` package), so the run with the production store was skipped."));
        report.add("");

        // Open loop at fixed shares of the hub's maximum, the same rates against the baseline.
        report.add("Open loop at fixed arrival rates (latency from each call's intended send time), as shares of the hub's maximum above; "
                + "each run starts once the previous run's target has gone idle. The generator sends every call from its connections' one "
                + "transport thread when it falls due; its CPU is given for the hub's run and the baseline's, with its JIT compiler's share:");
        report.add("");
        report.add("| load | rate/s | hub p50 ms | hub p99 ms | hub p99.9 ms | baseline p50 ms | baseline p99 ms | baseline p99.9 ms | p99 vs baseline | hub CPU (cores) | baseline CPU (cores) | generator CPU (cores: hub run, baseline run) | generator JIT (cores: hub run, baseline run) |");
        report.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        List<Map<String, Object>> levels = new ArrayList<>();
        for (double share : new double[] {0.25, 0.5, 0.75}) {
            String rate = String.format(Locale.ROOT, "%.0f", share * cachedHub.perSecond());
            // Each run is a new generator JVM: it too compiles at first, so it warms up until its compiler is quiet.
            String[] open = {"--rate", rate, "--seconds", "" + openSeconds, "--warmup-seconds", quick ? "0" : "2",
                    "--max-warmup-seconds", quick ? "0" : "" + Math.min(6, maxWarmupSeconds), "--keys", "uniform", "--travelers", "" + hotTravelers};
            Measured h = load("hub, open loop " + (int) (share * 100) + " %", hubPort, hubOps, hub, open);
            awaitIdle(hub);
            Measured b = load("baseline, open loop " + (int) (share * 100) + " %", baselinePort, hubOps, baseline, open);
            awaitIdle(baseline);
            report.add(String.format(Locale.ROOT, "| %.0f %% | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f× | %.2f | %.2f | %.2f, %.2f | %.2f, %.2f |",
                    share * 100, rate, h.p(50), h.p(99), h.p(99.9), b.p(50), b.p(99), b.p(99.9), h.p(99) / b.p(99), h.targetCores(), b.targetCores(),
                    h.load().generatorCpu(), b.load().generatorCpu(), h.generatorCompilerCores(), b.generatorCompilerCores()));
            levels.add(Map.of("share", share, "rate", Double.parseDouble(rate), "hubP50", h.p(50), "hubP99", h.p(99), "hubP999", h.p(99.9),
                    "baseP50", b.p(50), "baseP99", b.p(99), "baseP999", b.p(99.9)));
        }
        report.add("");
        List<String> bars = new ArrayList<>(List.of("baseline (bare gRPC)", "hub, cached, audit on", "hub, cached, audit off", "hub, health check"));
        List<Double> heights = new ArrayList<>(List.of(base.perSecond(), cachedHub.perSecond(), unaudited.perSecond(), health.perSecond()));
        postgres.ifPresent(run -> {
            bars.add(2, "hub, cached, audit on, PostgreSQL");
            heights.add(2, run.measured().perSecond());
        });
        SvgChart.bars(results.resolve("throughput-vs-baseline.svg"), "Cached GetStatus: calls/s, same run", "calls/s", bars, heights);
        List<SvgChart.Series> latency = new ArrayList<>();
        for (String who : List.of("hub", "base")) {
            for (String p : List.of("P50", "P99", "P999")) {
                List<double[]> points = new ArrayList<>();
                levels.forEach(l -> points.add(new double[] {(double) l.get("rate"), (double) l.get(who + p)}));
                latency.add(new SvgChart.Series((who.equals("hub") ? "hub " : "baseline ") + p.toLowerCase().replace("p999", "p99.9"), points));
            }
        }
        SvgChart.line(results.resolve("cached-latency-open-loop.svg"), "Cached GetStatus latency at fixed arrival rates", "offered calls/s",
                "ms", latency, List.of());
        report.add("![throughput](throughput-vs-baseline.svg)");
        report.add("![latency](cached-latency-open-loop.svg)");
        report.add("");

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("baseMax", base.perSecond());
        figures.put("hubMax", cachedHub.perSecond());
        figures.put("hubAuditOffMax", unaudited.perSecond());
        figures.put("auditRecordsPerCommit", auditAfter.recordsPerCommitSince(auditBefore));
        figures.put("auditStoreBehindAtEnd", auditAfter.copyBacklog());
        storeCaughtUp.ifPresent(took -> figures.put("auditStoreCaughtUpSeconds", took.toMillis() / 1000.0));
        postgres.ifPresent(run -> {
            figures.put("hubPostgresMax", run.measured().perSecond());
            figures.put("hubPostgresCpuMsPerCall", run.measured().cpuMsPerCall());
            figures.put("postgresCores", run.serverCores());
        });
        figures.put("healthMax", health.perSecond());
        figures.put("ratio", cachedHub.perSecond() / base.perSecond());
        figures.put("hubCpuMsPerCall", cachedHub.cpuMsPerCall());
        figures.put("hubAuditOffCpuMsPerCall", unaudited.cpuMsPerCall());
        figures.put("baseCpuMsPerCall", base.cpuMsPerCall());
        figures.put("openLoop", levels);
        figures.put("hubRunFrom", cachedHub.load().startedAtMillis());
        figures.put("hubRunTo", cachedHub.load().endedAtMillis());
        figures.put("answerBytes", sample.getSerializedSize());
        return figures;
    }

    /**
     * Manifest: one CheckBatch stream of never-seen travelers, then the same again (cached); another
     * train prefetched, then checked; and scans at a fixed rate alone, then beside a third train's
     * cold manifest. Each train is a distinct range of travelers no other scenario has looked up.
     */
    private Map<String, Object> manifests() throws Exception {
        String[] train1 = coldTrain(1);
        Measured cold = load("manifest, cold", hubPort, hubOps, hub, train1);
        // Warm and after-prefetch runs are bound by the generator as much as by the hub: each run is a new JVM, and one
        // 2,000-entry stream is over before its JIT has compiled anything. Two unmeasured streams of the same (cached)
        // entries first; the cold run is bound by the sources' capacities and runs as it comes.
        String[] warmGenerator = {"--warmup-manifests", quick ? "0" : "2"};
        Measured warm = load("manifest, warm", hubPort, hubOps, hub, concat(train1, warmGenerator));

        Measured prefetched = load("prefetch", hubPort, hubOps, hub, "--method", "prefetch", "--manifest-entries", "" + manifestEntries,
                "--deadline-ms", "600000", "--key-offset", trainOffset(2));
        Measured afterPrefetch = load("manifest, after prefetch", hubPort, hubOps, hub, concat(coldTrain(2), warmGenerator));

        int warmupTrains = warmColdManifestPath(FIRST_SCAN_TRAIN);
        List<ScanRound> rounds = scansBesideColdManifests(FIRST_SCAN_TRAIN + warmupTrains);

        report.add("## Manifest");
        report.add("");
        report.add(String.format(Locale.ROOT, "One `CheckBatch` stream of %,d distinct travelers (a train), "
                + "first never seen (cold), then again (warm). A second train is warmed with `PrefetchManifest` and then checked. "
                + "Latency is per entry, from when it was sent on the stream. The warm run and the run after prefetch each follow %s "
                + "unmeasured streams of the same entries from the same generator process, so that its JIT warm-up is not counted.",
                manifestEntries, quick ? "no" : "two"));
        report.add("");
        report.add("| run | seconds | entries/s | entry p50 ms | entry p99 ms | hub CPU (cores) | outcomes (health code's provenance; prefetch: outcome) |");
        report.add("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        for (Measured m : List.of(cold, warm, prefetched, afterPrefetch)) {
            report.add(String.format(Locale.ROOT, "| %s | %.2f | %,.0f | %.1f | %.1f | %.2f | %s |", m.load().label(), m.load().seconds(),
                    m.perSecond(), m.p(50), m.p(99), m.targetCores(), outcomes(m.load())));
        }
        report.add("");
        report.add("A cold manifest asks every traveler's province and the travel card; an entry that finds its source at its declared "
                + "capacity waits for the next permit (behind any scans) within the stream's deadline instead of being refused, so the "
                + "cold run's time is set by the sources' capacities. A prefetch asks only from the sources' spare capacity "
                + "(`tongxing.manifest.prefetch-share`), so it takes longer than a cold check; the check at arrival then finds every "
                + "answer cached. Every entry is audited before its result is sent.");
        report.add("");
        double[] scanRatios = reportScanRounds(rounds, warmupTrains);
        report.add(String.format(Locale.ROOT, "**Warm manifest: %.2f s; after prefetch: %.2f s, %s** (targets: ≤ 1 s, 100 %% CACHED).",
                warm.load().seconds(), afterPrefetch.load().seconds(), outcomes(afterPrefetch.load())));
        report.add("");
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("coldSeconds", cold.load().seconds());
        figures.put("warmSeconds", warm.load().seconds());
        figures.put("coldOutcomes", cold.load().outcomes());
        figures.put("warmOutcomes", warm.load().outcomes());
        figures.put("prefetchSeconds", prefetched.load().seconds());
        figures.put("prefetchOutcomes", prefetched.load().outcomes());
        figures.put("afterPrefetchSeconds", afterPrefetch.load().seconds());
        figures.put("afterPrefetchOutcomes", afterPrefetch.load().outcomes());
        figures.put("scanP50Ratio", scanRatios[0]);
        figures.put("scanP99Ratio", scanRatios[1]);
        return figures;
    }

    /** Where train {@code train}'s travelers start: its block of {@code manifestEntries} counted from the end, which no other scenario looks up. */
    private String trainOffset(int train) {
        return "" + (population - (long) train * manifestEntries);
    }

    /** One CheckBatch stream of train {@code train}'s travelers (see {@link #trainOffset}). */
    private String[] coldTrain(int train) {
        return new String[] {"--method", "manifest", "--manifest-entries", "" + manifestEntries, "--deadline-ms", "600000",
                "--key-offset", trainOffset(train)};
    }

    /** The scans' cold trains come after the manifest section's first two (checked cold and warm, prefetched). */
    private static final int FIRST_SCAN_TRAIN = 3;
    /** At most this many unmeasured cold trains warm the hub's path that asks sources for a manifest. */
    private static final int MAX_WARMUP_TRAINS = 6;
    /** A hub whose JIT compiler used at most this share of a core during a cold train has compiled that path. */
    private static final double QUIET_COMPILER_CORES = 0.05;

    /**
     * Cold trains, unmeasured, until the hub's JIT compiler stays quiet through one (at most
     * {@link #MAX_WARMUP_TRAINS}): a cold manifest runs code (asking sources, waiting for their
     * capacity, parsing and checking their answers) that cached scans never reach, and a hub that
     * still compiles it during a round takes up to a quarter of a core from the scans beside it,
     * which measures the hub's warm-up rather than what a manifest costs scans. Trains start at the
     * {@code firstTrain}-th block; returns how many were used.
     */
    private int warmColdManifestPath(int firstTrain) throws Exception {
        if (quick) {
            return 0;
        }
        for (int train = 0; train < MAX_WARMUP_TRAINS; train++) {
            Measured warmup = load("manifest, cold (hub warm-up " + (train + 1) + ", not reported)", hubPort, hubOps, hub,
                    coldTrain(firstTrain + train));
            if (warmup.targetCompilerCores() <= QUIET_COMPILER_CORES) {
                return train + 1;
            }
        }
        return MAX_WARMUP_TRAINS;
    }

    /** One round: scans alone, then the same scans beside a cold manifest. */
    private record ScanRound(Measured alone, Measured beside, Measured manifest) {}

    /**
     * Scans of cached travelers at a fixed rate, open loop, alone and then while a cold manifest of
     * a train never seen streams, in rounds: on a shared 2-core machine one pair of runs varies too
     * much to judge by. Trains start at the {@code firstTrain}-th block of travelers from the end.
     */
    private List<ScanRound> scansBesideColdManifests(int firstTrain) throws Exception {
        // Each run's generator is a fresh JVM, the hub is warm: at 500/s the generator's compiler never goes
        // quite quiet, and waiting for it past 4 s (the same in both runs of a round) only lengthens the bench.
        String[] scans = {"--method", "status", "--rate", "" + manifestScanRate, "--seconds", "" + manifestScanSeconds, "--warmup-seconds",
                "" + Math.min(2, warmupSeconds), "--max-warmup-seconds", quick ? "0" : "" + Math.min(4, maxWarmupSeconds),
                "--keys", "uniform", "--travelers", "" + hotTravelers, "--connections", "2", "--in-flight", "1"};
        List<ScanRound> rounds = new ArrayList<>();
        for (int round = 0; round < manifestScanRounds; round++) {
            // The manifest's generator is a JVM of its own too. Started beside the scans, its start and JIT warm-up
            // would take a core from everything else on 2 cores while the scans measure. So it starts first, warms up
            // on travelers the hub holds (asking no source, the cold train stays cold), and waits to be told to stream.
            // It stands for a station's own machine: at the lowest CPU priority it takes no core from the hub or the scans.
            Running manifest = startLoad("manifest, cold (beside scans, round " + (round + 1) + ")", hubPort, hubOps, hub, true,
                    concat(coldTrain(firstTrain + round), "--warmup-manifests", "" + MANIFEST_GENERATOR_WARMUPS,
                            "--warmup-entries", "" + hotTravelers, "--warmup-key-offset", "0", "--await-go"));
            manifest.process().awaitLine(LoadGenerator.AWAITING_GO, Duration.ofMinutes(2));
            Measured alone = load("scans, no manifest (round " + (round + 1) + ")", hubPort, hubOps, hub, scans);
            Running besideRun = startLoad("scans, during a cold manifest (round " + (round + 1) + ")", hubPort, hubOps, hub, scans);
            // The scans' generator warms up first; the manifest then streams through most of their measured run.
            besideRun.process().awaitLine(LoadGenerator.MEASURING, Duration.ofMinutes(2));
            Thread.sleep(1000);
            manifest.process().say("go");
            Measured beside = finish(besideRun);
            rounds.add(new ScanRound(alone, beside, finish(manifest)));
        }
        return rounds;
    }

    /** The rounds' table and headline; returns the median p50 and p99 ratios, beside over alone. */
    private double[] reportScanRounds(List<ScanRound> rounds, int warmupTrains) {
        report.add(String.format(Locale.ROOT, "Scans of cached travelers at %,d/s (open loop, latency from each scan's intended send time), "
                + "alone and then while a cold manifest of a train never seen streams (%,d entries, from 1 s into the scans' measured %.0f s), "
                + "in %d rounds. The manifest's generator, a JVM of its own, is started before each round and warmed up on %d streams "
                + "of cached travelers, so that its own start and JIT warm-up are not counted against the hub; it runs at the lowest CPU "
                + "priority (nice 19), as it stands for the station's own machine: on this 2-core one its CPU would otherwise be taken from "
                + "the hub and the scans' generator alike. Before the rounds, %d more "
                + "cold train(s), unmeasured, until the hub's JIT compiler used at most %.0f %% of a core through one (at most %d): the "
                + "hub's own warm-up of the path that asks sources is not counted against the scans either:",
                manifestScanRate, manifestEntries, manifestScanSeconds, rounds.size(), MANIFEST_GENERATOR_WARMUPS, warmupTrains,
                QUIET_COMPILER_CORES * 100, MAX_WARMUP_TRAINS));
        report.add("");
        report.add("| run | scans/s | p50 ms | p99 ms | p99.9 ms | outcomes | hub CPU (cores) | manifest s |");
        report.add("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
        List<Double> p50Ratios = new ArrayList<>();
        List<Double> p99Ratios = new ArrayList<>();
        for (ScanRound round : rounds) {
            for (Measured m : List.of(round.alone(), round.beside())) {
                report.add(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %.2f | %s | %.2f | %s |", m.load().label(), m.perSecond(),
                        m.p(50), m.p(99), m.p(99.9), outcomes(m.load()), m.targetCores(),
                        m == round.beside() ? String.format(Locale.ROOT, "%.2f (%s)", round.manifest().load().seconds(),
                                outcomes(round.manifest().load())) : ""));
            }
            p50Ratios.add(ratio(round.beside().p(50), round.alone().p(50)));
            p99Ratios.add(ratio(round.beside().p(99), round.alone().p(99)));
        }
        double p50 = median(p50Ratios);
        double p99 = median(p99Ratios);
        report.add("");
        report.add(String.format(Locale.ROOT, "**During a cold manifest, scans' p50 is %.2f× and p99 %.2f× their latency without it** "
                + "(median of the rounds' ratios; each round: p50 %s, p99 %s; target: within 1.10×).", p50, p99, ratios(p50Ratios),
                ratios(p99Ratios)));
        report.add("");
        return new double[] {p50, p99};
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? 0 : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String ratios(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f×", v)).toList());
    }

    /** Only the scans beside cold manifests ({@code --only manifest-scans}): a quick loop for tuning what a manifest costs scans. */
    private Map<String, Object> scansBesideManifestsOnly() throws Exception {
        fillHubCache();
        // The full run's cached section warms the hub's JIT before its manifest section; alone, a run does.
        load("warm-up (not reported)", hubPort, hubOps, hub, "--seconds", "" + seconds, "--warmup-seconds", "" + warmupSeconds,
                "--max-warmup-seconds", "" + maxWarmupSeconds, "--keys", "uniform", "--travelers", "" + hotTravelers);
        // And its manifest section checks cold trains before its scan rounds (the first as a measured run).
        load("manifest, cold (warm-up, not reported)", hubPort, hubOps, hub, coldTrain(1));
        int warmupTrains = warmColdManifestPath(FIRST_SCAN_TRAIN);
        report.add("## Scans beside cold manifests");
        report.add("");
        double[] ratios = reportScanRounds(scansBesideColdManifests(FIRST_SCAN_TRAIN + warmupTrains), warmupTrains);
        return Map.of("scanP50Ratio", ratios[0], "scanP99Ratio", ratios[1]);
    }

    private static double ratio(double value, double reference) {
        return reference <= 0 ? 0 : value / reference;
    }

    /** Xi'an, 9 am: a Zipf population, offered load rising tenfold within 10 s and falling back. */
    private Map<String, Object> morningSurge(double hubMax) throws Exception {
        // The default peak is 5 % of the hub's cached maximum x 10, but no more than the six sources' declared capacity
        // together (1,500/s): past that the 2-core machine, which also runs the sources and the generator, is measured
        // rather than the hub's handling of the surge.
        double base = surgeBaseRate > 0 ? surgeBaseRate : Math.max(20, Math.min(MAX_DEFAULT_SURGE_BASE_RATE, Math.round(hubMax * 0.05)));
        double t1 = surgePhases.get(0), t2 = t1 + surgePhases.get(1), t3 = t2 + surgePhases.get(2), t4 = t3 + surgePhases.get(3),
                t5 = t4 + surgePhases.get(4);
        String profile = String.format(Locale.ROOT, "0:%.0f,%.1f:%.0f,%.1f:%.0f,%.1f:%.0f,%.1f:%.0f", base, t1, base, t2, base * 10, t3,
                base * 10, t4, base);
        // The morning starts on a hub already running: the generator's first seconds (a cold JVM sending
        // late, then in a burst) are warm-up at the base rate, not the first seconds of the surge.
        Measured surge = load("Xi'an 9 am surge", hubPort, hubOps, hub, "--rate", profile, "--seconds", "" + t5, "--keys", "zipf",
                "--travelers", "" + population / 2, "--zipf-exponent", "" + zipfExponent, "--deadline-ms", "200",
                "--warmup-seconds", quick ? "0" : "" + SURGE_WARMUP_SECONDS);
        LoadResult r = surge.load();
        Map<String, Double> capacity = Map.of("shaanxi-ymt", 200.0, "guangdong-ykm", 200.0, "beijing-jkb", 200.0, "shanghai-ssm", 200.0,
                "sichuan-tfjkt", 200.0, "travel-card", 500.0);
        // What each source received, counted by the source: per whole second of the run for the plot,
        // and the busiest one-second window anywhere in it (slid in 10 ms steps) for the target.
        SourceArrivals arrivals = SourceArrivals.fetch(sourcesHttp, r.startedAtMillis(), r.endedAtMillis());
        HubSendDelays sendDelays = HubSendDelays.read(hubOps);
        Map<String, Double> peakShare = new TreeMap<>();
        List<SvgChart.Series> sourceSeries = new ArrayList<>();
        for (String source : Travelers.SOURCES) {
            peakShare.put(source, arrivals.busiestSecond(source, r.startedAtMillis(), r.endedAtMillis()) / capacity.get(source));
            List<double[]> points = new ArrayList<>();
            for (double[] p : arrivals.perSecond(source, r.startedAtMillis(), (int) Math.floor(r.seconds()))) {
                points.add(new double[] {p[0], 100 * p[1] / capacity.get(source)});
            }
            sourceSeries.add(new SvgChart.Series(source, points));
        }
        SvgChart.line(results.resolve("surge-source-load.svg"), "Xi'an 9 am: each source's received rate, % of its declared capacity",
                "second", "% of capacity", sourceSeries, List.of(new SvgChart.Reference("declared capacity", 100)));
        List<double[]> p99 = new ArrayList<>(), p50 = new ArrayList<>(), offered = new ArrayList<>(), within = new ArrayList<>();
        Map<String, List<double[]>> mix = new TreeMap<>();
        for (LoadResult.Second s : r.timeline()) {
            p99.add(new double[] {s.second(), s.p99Ms()});
            p50.add(new double[] {s.second(), s.p50Ms()});
            offered.add(new double[] {s.second(), s.sent()});
            within.add(new double[] {s.second(), 100.0 * s.okWithinDeadline() / Math.max(1, s.sent())});
            for (String kind : List.of("CACHED", "LIVE", "STALE", "UNAVAILABLE", "UNANSWERED")) {
                mix.computeIfAbsent(kind, k -> new ArrayList<>()).add(new double[] {s.second(),
                        100.0 * s.provenance().getOrDefault(kind, 0L) / Math.max(1, s.sent())});
            }
        }
        SvgChart.line(results.resolve("surge-latency.svg"), "Xi'an 9 am: latency per second (from intended send time)", "second", "ms",
                List.of(new SvgChart.Series("p50", p50), new SvgChart.Series("p99", p99)), List.of(new SvgChart.Reference("deadline 200 ms", 200)));
        SvgChart.line(results.resolve("surge-offered.svg"), "Xi'an 9 am: offered lookups per second", "second", "lookups/s",
                List.of(new SvgChart.Series("offered", offered)), List.of());
        List<SvgChart.Series> mixSeries = new ArrayList<>();
        mix.forEach((kind, points) -> mixSeries.add(new SvgChart.Series(kind.equals("UNANSWERED") ? "no answer (error)" : kind, points)));
        mixSeries.add(new SvgChart.Series("answered within 200 ms", within));
        SvgChart.line(results.resolve("surge-provenance.svg"), "Xi'an 9 am: health code provenance, % of lookups each second", "second", "%",
                mixSeries, List.of());
        // Recovery: from the end of the fall, the first second after which every second meets the deadline share and p99 of before the surge.
        double beforeP99 = r.timeline().stream().filter(s -> s.second() < t1).mapToDouble(LoadResult.Second::p99Ms).max().orElse(0);
        double recovered = -1;
        List<LoadResult.Second> after = r.timeline().stream().filter(s -> s.second() >= t4).toList();
        for (int i = 0; i < after.size(); i++) {
            boolean fine = true;
            for (int j = i; j < after.size(); j++) {
                LoadResult.Second s = after.get(j);
                fine &= s.okWithinDeadline() >= 0.999 * s.sent() && s.p99Ms() <= Math.max(2 * beforeP99, 20);
            }
            if (fine) {
                recovered = after.get(i).second() - t4;
                break;
            }
        }
        report.add("## Xi'an, 9 am");
        report.add("");
        report.add(String.format(Locale.ROOT, "%,d simulated travelers (five provinces' residents, every one with a phone: six sources), "
                + "lookups drawn by a Zipf law (exponent %.2f) over the first %,d, open loop: %.0f lookups/s for %.0f s, rising to %.0f/s "
                + "within %.0f s, held %.0f s, falling back within %.0f s, then %.0f s more. Each lookup has a 200 ms deadline. Source "
                + "capacities as declared in the demo configuration: travel card 500/s, each province 200/s. Received rates are counted by "
                + "the simulated sources themselves, on arrival, per 10 ms. Before it, %d s at the base rate warm the generator's JVM "
                + "up, unmeasured (the same law, so they also cache a few hundred of the most frequent travelers).",
                population, zipfExponent, population / 2, base, surgePhases.get(0), base * 10, surgePhases.get(1), surgePhases.get(2),
                surgePhases.get(3), surgePhases.get(4), quick ? 0 : SURGE_WARMUP_SECONDS));
        report.add("");
        report.add(String.format(Locale.ROOT, "- Answered within the 200 ms deadline: **%.3f %%** of %,d lookups (target ≥ 99.9 %%).",
                100 * r.shareWithinDeadline(), r.sent()));
        report.add("- Health code provenance over the run: " + outcomes(r) + ".");
        report.add("- Most requests a source received in any one-second window of the run (slid in 10 ms steps), as a share of its declared "
                + "capacity (target ≤ 105 %): "
                + String.join(", ", peakShare.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f %%", e.getKey(), 100 * e.getValue())).toList()) + ".");
        report.add("- From a call's capacity permit to its request being sent, in the hub (p99.9 / max over the last two minutes; "
                + "permits older than send-within when about to send: renewed / not sent): "
                + String.join(", ", sendDelays.maxMs().keySet().stream().map(source -> String.format(Locale.ROOT, "%s %.1f / %.1f ms (%.0f / %.0f)",
                        source, sendDelays.p999Ms().getOrDefault(source, 0.0), sendDelays.maxMs().get(source),
                        sendDelays.renewed().getOrDefault(source, 0.0), sendDelays.notSent().getOrDefault(source, 0.0))).toList()) + ".");
        report.add(String.format(Locale.ROOT, "- Recovery: %s after the load fell back (every later second ≥ 99.9 %% within the deadline and p99 ≤ max(2 × the %.1f ms before the surge, 20 ms)).",
                recovered < 0 ? "**not recovered** by the end of the run" : String.format(Locale.ROOT, "%.0f s", recovered), beforeP99));
        report.add(String.format(Locale.ROOT, "- Overall p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms; hub CPU %.2f cores, simulated sources %.2f cores, generator %.2f cores.",
                surge.p(50), surge.p(99), surge.p(99.9), surge.targetCores(), surge.sourcesCores(), r.generatorCpu()));
        report.add("");
        report.add("![offered](surge-offered.svg)");
        report.add("![latency](surge-latency.svg)");
        report.add("![provenance](surge-provenance.svg)");
        report.add("![source load](surge-source-load.svg)");
        report.add("");
        long cached = r.outcomes().getOrDefault("OK CACHED", 0L);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("baseRate", base);
        figures.put("withinDeadline", r.shareWithinDeadline());
        figures.put("peakShareOfCapacity", peakShare);
        figures.put("recoverySeconds", recovered);
        figures.put("hitRatio", cached / (double) Math.max(1, r.ok()));
        figures.put("hubCores", surge.targetCores());
        figures.put("callsPerSecond", r.callsPerSecond());
        return figures;
    }

    /**
     * One province blackholed, then slow, against a run without fault; the others must not notice.
     * Each phase's first seconds, while the breaker learns of the fault, are measured apart (the
     * onset) from the rest (settled), which is what the targets are about.
     */
    private Map<String, Object> outages() throws Exception {
        int range = population / 6;
        String failing = "guangdong-ykm";
        Map<String, Measured> onsets = new LinkedHashMap<>();
        Map<String, Measured> phases = new LinkedHashMap<>();
        int outageWarmup = quick ? 0 : OUTAGE_WARMUP_SECONDS;
        String[] names = {"no fault", "guangdong-ykm blackholed", "guangdong-ykm answering after 5 s"};
        FaultySourceProxy.Mode[] modes = {FaultySourceProxy.Mode.PASS, FaultySourceProxy.Mode.BLACKHOLE, FaultySourceProxy.Mode.SLOW};
        for (int i = 0; i < 3; i++) {
            // Each phase asks about travelers of its own, so each starts as cold as the one before. Without
            // a phone, a lookup asks the traveler's province only: a row's p99 is that province's alone.
            String[] lookups = {"--rate", "" + outageRate, "--keys", "zipf", "--travelers", "" + range,
                    "--key-offset", "" + (population / 2 + i * range), "--zipf-exponent", "" + zipfExponent, "--without-phone"};
            // The onset's generator warms up (its JIT, and the hub's until its compiler goes quiet) with every
            // source healthy; the fault starts as it starts measuring, so a cold generator's first second,
            // late and then bursting, is in neither part.
            proxy.mode(FaultySourceProxy.Mode.PASS, Duration.ZERO);
            Running onset = startLoad("outage onset: " + names[i], hubPort, hubOps, hub, concat(lookups, "--seconds", "" + outageOnsetSeconds,
                    "--warmup-seconds", "" + outageWarmup, "--max-warmup-seconds", quick ? "0" : "" + Math.min(6, maxWarmupSeconds)));
            onset.process().awaitLine(LoadGenerator.MEASURING, Duration.ofMinutes(2));
            proxy.mode(modes[i], Duration.ofSeconds(5));
            onsets.put(names[i], finish(onset));
            phases.put(names[i], load("outage: " + names[i], hubPort, hubOps, hub, concat(lookups, "--seconds", "" + outageSeconds,
                    "--warmup-seconds", "" + outageWarmup)));
        }
        proxy.mode(FaultySourceProxy.Mode.PASS, Duration.ZERO);
        report.add("## Outage");
        report.add("");
        report.add(String.format(Locale.ROOT, "Lookups at %.0f/s (open loop, Zipf over %,d travelers of their own per phase, 2 s deadline): "
                + "without fault; with Guangdong's system blackholed (connections accepted, nothing answered); with it answering every "
                + "request only after 5 s (its timeout is 800 ms). The lookups carry no phone number, so each asks its traveler's province "
                + "only and a column's p99 is that province's alone (with a phone, every lookup would also wait for the travel card's live "
                + "answers, in every row alike). Each phase's fault starts when its onset run starts measuring (after that run's generator warmed "
                + "up with every source healthy); those first %.0f s, while the breaker learns of the fault, are measured apart (onset) from "
                + "the %.0f s that follow (settled, after %d s more for the next generator's warm-up). p99 in ms per traveler's health-code "
                + "source, settled:",
                outageRate, range, outageOnsetSeconds, outageSeconds, outageWarmup));
        report.add("");
        Map<String, Object> figures = new LinkedHashMap<>();
        outageTable(phases, failing, figures, "");
        report.add("");
        report.add(String.format(Locale.ROOT, "Onset, the first %.0f s of each phase (the breaker opens once enough of the failing source's "
                + "calls have run into its timeout; the lookups that made them waited for them):", outageOnsetSeconds));
        report.add("");
        outageTable(onsets, failing, figures, "onset ");
        report.add("");
        report.add("Targets, settled: the failing source's p99 ≤ 20 ms (its breaker opens and it is no longer waited for, not even for "
                + "the half-open breaker's trial calls), everyone else within 10 % of the no-fault run.");
        report.add("");
        return figures;
    }

    /** One row per phase: each province's p99, the others' worst against the no-fault row. */
    private void outageTable(Map<String, Measured> phases, String failing, Map<String, Object> figures, String figurePrefix) {
        StringBuilder head = new StringBuilder("| phase |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (String source : Travelers.SOURCES.subList(0, 5)) {
            head.append(' ').append(source).append(" p99 |");
            rule.append(" ---: |");
        }
        report.add(head + " others' worst p99 vs no fault | outcomes |");
        report.add(rule + " ---: | --- |");
        Measured clean = phases.values().iterator().next();
        for (Map.Entry<String, Measured> phase : phases.entrySet()) {
            StringBuilder row = new StringBuilder("| " + phase.getKey() + " |");
            double worst = 0;
            for (String source : Travelers.SOURCES.subList(0, 5)) {
                LoadResult.Latency l = phase.getValue().load().bySource().get(source);
                LoadResult.Latency c = clean.load().bySource().get(source);
                row.append(l == null ? " – |" : String.format(Locale.ROOT, " %.1f |", l.p99Ms()));
                if (!source.equals(failing) && l != null && c != null) {
                    worst = Math.max(worst, l.p99Ms() / c.p99Ms());
                }
            }
            report.add(row + String.format(Locale.ROOT, " %.2f× | %s |", worst, outcomes(phase.getValue().load())));
            LoadResult.Latency f = phase.getValue().load().bySource().get(failing);
            figures.put(figurePrefix + phase.getKey(), Map.of("failingP99", f == null ? -1 : f.p99Ms(), "othersWorstRatio", worst));
        }
    }

    /** Heap for a million cached statuses, weighed in a JVM of its own. */
    private Map<String, Object> cacheMemory() throws Exception {
        Path out = logs.resolve("memory.json");
        child("memory", List.of("-Xmx3g", "-XX:+UseParallelGC"), CacheMemoryProbe.class, List.of("" + memoryTravelers, out.toString()))
                .awaitExit(Duration.ofMinutes(5));
        @SuppressWarnings("unchecked")
        Map<String, Object> memory = json.readValue(out.toFile(), Map.class);
        double heap = ((Number) memory.get("heapBytes")).doubleValue();
        double weighed = ((Number) memory.get("weighedBytes")).doubleValue();
        report.add("## Memory");
        report.add("");
        report.add(String.format(Locale.ROOT, "%,d travelers' statuses (a province's health code and the travel card each, as the hub caches "
                + "them, in the hub's own `SourceAnswerCache`) take **%.0f MB of heap** (%.0f bytes per traveler; target ≤ 300 MB for 1 M). "
                + "The caches' own weights (`max-weight` accounting) add up to %.0f MB, so the default `max-weight` of 64 MB per source holds "
                + "about %,.0f travelers per source.", memoryTravelers, heap / 1e6, heap / memoryTravelers, weighed / 1e6,
                64e6 / Math.max(1, weighed / memoryTravelers / 2)));
        report.add("");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> largest = (List<Map<String, Object>>) memory.getOrDefault("largestClasses", List.of());
        if (!largest.isEmpty()) {
            report.add("Where a traveler's bytes go (the JVM's class histogram with the caches full, bytes per traveler): " + largest.stream()
                    .map(row -> String.format(Locale.ROOT, "`%s` %.0f", row.get("class"), ((Number) row.get("bytes")).doubleValue() / memoryTravelers))
                    .collect(Collectors.joining(", ")) + ".");
            report.add("");
        }
        return memory;
    }

    private void nationalModel(Map<String, Object> cached, Map<String, Object> surge, Map<String, Object> memory) {
        double hitMs = (double) cached.get("hubCpuMsPerCall");
        double surgeCoresMs = (double) surge.get("hubCores") * 1000;
        double surgeRate = (double) surge.get("callsPerSecond");
        double hit = (double) surge.get("hitRatio");
        // CPU per lookup that asked a source: the surge's CPU less what its cache hits cost, over its misses.
        double missMs = Math.max(hitMs, (surgeCoresMs / Math.max(1, surgeRate) - hit * hitMs) / Math.max(0.01, 1 - hit));
        NationalModel model = new NationalModel(1_000_000, nationalTravelers, zipfExponent, 60, hitMs, missMs, 2, 0.6);
        report.add("## National model");
        report.add("");
        report.add("Inputs: " + model.inputs() + ". CPU per cached lookup is the hub's CPU over its calls in the cached maximum-throughput "
                + "run (audit on); CPU per lookup that asked a source comes from the Xi'an run (hub CPU, less its cache hits at the cached "
                + "cost, over its misses).");
        report.add("");
        report.add("| routing | hit ratio | lookups/s per replica | replicas for 1 M/s | lookups/s reaching provinces |");
        report.add("| --- | ---: | ---: | ---: | ---: |");
        for (NationalModel.Outcome o : model.outcomes()) {
            report.add(String.format(Locale.ROOT, "| %s | %.3f | %,.0f | %,d | %,.0f |", o.routing(), o.hitRatio(), o.lookupsPerReplica(),
                    o.replicas(), o.missesPerSecond()));
        }
        report.add("");
        report.add(String.format(Locale.ROOT, "Memory per replica for its cache: about %.0f bytes per traveler held (measured above). "
                + "Lookups reaching provinces must fit their declared capacities fleet-wide; routing by traveler both raises the hit ratio "
                + "and divides the cache among replicas.", ((Number) memory.get("bytesPerTraveler")).doubleValue()));
        report.add("");
    }

    /**
     * The hub's profile over its cached maximum-throughput run, or over the whole run where that
     * was not run ({@code --only manifest-scans}); the hub must stop first for its recording to be written.
     */
    private void profileSection(Map<String, Object> cached, Instant started) throws IOException {
        hub.close();
        cpu.forget(hub);
        hub = null;
        if (cached == null) {
            report.add("## Profile of the hub");
            report.add("");
            report.addAll(ProfileSummary.markdown("The hub (audit on) over the whole run, JFR `profile` settings",
                    ProfileSummary.of(profile, started, Instant.now())));
            report.add("");
            return;
        }
        ProfileSummary.Summary summary = ProfileSummary.of(profile, Instant.ofEpochMilli(((Number) cached.get("hubRunFrom")).longValue()),
                Instant.ofEpochMilli(((Number) cached.get("hubRunTo")).longValue()));
        report.add("## Profile of the cached path");
        report.add("");
        report.addAll(ProfileSummary.markdown("The hub (audit on) during its cached maximum-throughput run, JFR `profile` settings", summary));
        report.add("");
    }

    // ---------------------------------------------------------------- helpers

    private TravelerStatus sampleAnswer() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", hubPort).usePlaintext().build();
        try {
            return TravelerStatusServiceGrpc.newBlockingStub(channel).withCallCredentials(AccessToken.fetch(tokenUrl(hubOps), "bench-load",
                    System.getenv().getOrDefault("TONGXING_CLIENT_SECRET", "demo-bench-secret")))
                    .withDeadlineAfter(60, TimeUnit.SECONDS).getStatus(Travelers.request(0));
        } finally {
            channel.shutdownNow();
        }
    }

    /** Share used of this file system over which a nearly full disk is called out in the report. */
    private static final double FULL_DISK = 0.75;

    /**
     * How full the file system holding the hubs' stores is: the audited hub flushes its journal
     * and copies to SQLite there, and with the disk 80 % full (old work directories) it answered
     * 60 % of its usual rate while its code and the rest of the run were the same.
     */
    private static String diskOf(Path directory) throws IOException {
        FileStore store = Files.getFileStore(directory);
        // As df counts it: what is taken over what is taken plus what may still be taken. Against the total, space
        // the file system keeps back (on the machine of the figures, most of its free space) would count as used.
        long taken = store.getTotalSpace() - store.getUnallocatedSpace();
        double used = (double) taken / (taken + store.getUsableSpace());
        return String.format(Locale.ROOT, " The hubs' stores were on a file system %.0f %% full (%.0f GB free)%s.", used * 100,
                store.getUsableSpace() / 1e9, used > FULL_DISK
                        ? " (**nearly full: on a disk this full the audited hub ran 40 % slower once; free space and re-run**)"
                        : "");
    }

    private void header(Instant started, double loadBefore, double loadAfter, String disk) {
        List<String> head = new ArrayList<>();
        head.add("# Tongxing benchmark report" + (quick ? " (--quick: harness check only, figures mean nothing)" : ""));
        head.add("");
        head.add(String.format(Locale.ROOT, "Run %s, %.0f s, on %d cores, Java %s. Load average %.2f before and %.2f after the run%s. "
                + "Processes: simulated sources, hub (audit on), hub (audit off, first scenario only), hub with a PostgreSQL store and the server "
                + "(first scenario only, where the machine has PostgreSQL), bare gRPC baseline, and one "
                + "load-generator JVM per run. They share the machine, so absolute figures vary from run to run; the ratios to the "
                + "baseline measured minutes apart in the same run are what to compare.%s",
                started, Duration.between(started, Instant.now()).toSeconds() * 1.0, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), loadBefore, loadAfter,
                loadBefore > 1.0 ? " (**the machine was busy with other work; re-run on a quiet machine for figures to quote**)" : "",
                disk));
        if (!note.isBlank()) {
            head.add("");
            head.add("**Note:** " + note);
        }
        head.add("");
        report.addAll(0, head);
    }

    private boolean runs(String scenario) {
        return only == null || only.isEmpty() || only.contains(scenario);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }

    /**
     * Figures from a machine still busy with earlier work (a build, the previous bench run, whose
     * one-minute load average takes a minute or two to decay) are not the hub's: wait for it to go
     * quiet, for at most --settle-seconds. The report says what the load was when the run began.
     */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(settleSeconds);
        if (loadAverage() >= 1.0 && settleSeconds > 0) {
            System.out.printf(Locale.ROOT, "load average %.2f: waiting up to %d s for the machine to go quiet%n", loadAverage(), settleSeconds);
        }
        while (loadAverage() >= 1.0 && System.nanoTime() < deadline) {
            Thread.sleep(5_000);
        }
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static String outcomes(LoadResult result) {
        long total = result.outcomes().values().stream().mapToLong(Long::longValue).sum();
        List<String> parts = new ArrayList<>();
        result.outcomes().forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.1f %%", k, 100.0 * v / Math.max(1, total))));
        return String.join(", ", parts);
    }

    /** {@code a} followed by {@code b}: a run's options and more. */
    static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
