package dev.tongxing.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tongxing.api.access.AccessToken;
import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.PrefetchEntry;
import dev.tongxing.api.v1.PrefetchResult;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load generator, run in a JVM of its own so that it never shares a process with what it
 * measures. Async stubs over several connections; a closed loop (a fixed number of calls in
 * flight, each completion sending the next) for maximum throughput, or an open loop at a fixed or
 * changing arrival rate in which each call's latency counts from when it was due to be sent, so a
 * target that stalls is charged for the calls it delayed (no coordinated omission). Writes a
 * {@link LoadResult} as JSON, including the CPU its own process used.
 */
@Command(name = "tongxing-load", mixinStandardHelpOptions = true,
        description = "Drives GetStatus, health checks or a CheckBatch manifest at a gRPC target on loopback; writes JSON.")
public final class LoadGenerator implements Callable<Integer> {

    @Option(names = "--target", required = true, description = "host:port on loopback")
    String target;
    @Option(names = "--label", defaultValue = "run", description = "name of the run in the report")
    String label;
    @Option(names = "--method", defaultValue = "status", description = "status (GetStatus), health (grpc.health.v1 Check), manifest (one CheckBatch stream) or prefetch (one PrefetchManifest stream)")
    String method;
    @Option(names = "--connections", defaultValue = "4", description = "HTTP/2 connections, calls spread round-robin")
    int connections;
    @Option(names = "--in-flight", defaultValue = "64", description = "closed loop: calls in flight")
    int inFlight;
    @Option(names = "--rate", description = "open loop: calls/s, or a profile 'second:rate,...' (see RateProfile); absent means closed loop")
    String rate;
    @Option(names = "--seconds", defaultValue = "10", description = "measured length")
    double seconds;
    @Option(names = "--calls", defaultValue = "0", description = "closed loop: stop after this many calls (0: run for --seconds)")
    long calls;
    @Option(names = "--warmup-seconds", defaultValue = "0", description = "unmeasured run first, same load")
    double warmupSeconds;
    @Option(names = "--settle-pid", split = ",", description = "processes (besides this one) whose JIT compiler must go quiet before measuring; see --max-warmup-seconds")
    List<Long> settlePids = new ArrayList<>();
    @Option(names = "--max-warmup-seconds", defaultValue = "0", description = "keep warming up past --warmup-seconds, a second at a time, while this process's or a --settle-pid's JIT compiler used more than 5 % of a core, for at most this long in all")
    double maxWarmupSeconds;
    @Option(names = "--keys", defaultValue = "uniform", description = "one, uniform, zipf or sequential")
    String keys;
    @Option(names = "--travelers", defaultValue = "1000", description = "size of the key space")
    long travelers;
    @Option(names = "--key-offset", defaultValue = "0", description = "first key")
    long keyOffset;
    @Option(names = "--without-phone", description = "GetStatus: send the document only, so that each lookup asks the traveler's province alone, not the travel card too")
    boolean withoutPhone;
    @Option(names = "--zipf-exponent", defaultValue = "1.0")
    double zipfExponent;
    @Option(names = "--deadline-ms", defaultValue = "2000", description = "each call's gRPC deadline; 'within deadline' counts against it")
    long deadlineMs;
    @Option(names = "--manifest-entries", defaultValue = "2000", description = "manifest: entries in the stream")
    int manifestEntries;
    @Option(names = "--warmup-manifests", defaultValue = "0", description = "manifest: unmeasured streams of the same entries first, so that this JVM's own JIT warm-up is not measured (use on travelers already cached)")
    int warmupManifests;
    @Option(names = "--warmup-entries", description = "manifest: entries in each warm-up stream (default: --manifest-entries)")
    Integer warmupEntries;
    @Option(names = "--warmup-key-offset", description = "manifest: first key of the warm-up streams (default: --key-offset); "
            + "travelers already cached warm this JVM up without asking any source, so a cold measured stream stays cold")
    Long warmupKeyOffset;
    @Option(names = "--await-go", description = "manifest: after warm-up print " + LoadGenerator.AWAITING_GO + " and start the measured stream "
            + "only when a line arrives on standard input, so that it starts at a moment another run chooses with this JVM already warm")
    boolean awaitGo;
    @Option(names = "--token-url", description = "client-credentials token endpoint; absent means calls carry no token")
    URI tokenUrl;
    @Option(names = "--client-id", defaultValue = "bench-load")
    String clientId;
    @Option(names = "--client-secret", defaultValue = "${env:TONGXING_CLIENT_SECRET:-demo-bench-secret}")
    String clientSecret;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--out", required = true, description = "where to write the JSON result")
    Path out;

    /** A compiler using at most 5 % of a core counts as settled: the occasional late compile, not warm-up. */
    private static final long QUIET_COMPILER_MS_PER_SECOND = 50;
    /** The line printed when warm-up is over and the measured run starts. */
    public static final String MEASURING = "MEASURING";
    /** The line printed by {@code --await-go} once warm, before it waits for its go line. */
    public static final String AWAITING_GO = "AWAITING-GO";

    private final List<ManagedChannel> channels = new ArrayList<>();
    /** The open loop's one transport thread, shared by its connections; null in the closed loop. */
    private EventLoopGroup openLoopTransport;
    private final AtomicLong roundRobin = new AtomicLong();
    private CallCredentials token;
    private KeyDistribution distribution;
    private GetStatusRequest[] requests;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!target.startsWith("127.") && !target.startsWith("localhost:")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--target must be on loopback");
        }
        if (maxWarmupSeconds < 0 || warmupManifests < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-warmup-seconds and --warmup-manifests must be 0 or more, got "
                    + maxWarmupSeconds + " and " + warmupManifests);
        }
        if (warmupEntries != null && warmupEntries < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--warmup-entries must be at least 1, got " + warmupEntries);
        }
        token = tokenUrl == null ? null : AccessToken.fetch(tokenUrl, clientId, clientSecret);
        distribution = KeyDistribution.of(keys, travelers, zipfExponent, keyOffset);
        requests = new GetStatusRequest[(int) Math.min(travelers + keyOffset, 50_000_000)];
        String[] hostPort = target.split(":", 2);
        // The open loop's connections share one transport thread, which also sends their calls when
        // due (see openLoop); the closed loop's use gRPC's shared transport threads.
        if (rate != null) {
            DefaultThreadFactory thread = new DefaultThreadFactory("load-transport", true);
            openLoopTransport = Epoll.isAvailable() ? new EpollEventLoopGroup(1, thread) : new NioEventLoopGroup(1, thread);
        }
        for (int i = 0; i < connections; i++) {
            // Completions run on the transport's threads: the generator adds no thread hop of its own.
            NettyChannelBuilder channel = NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
                    .usePlaintext().directExecutor().maxInboundMessageSize(16 << 20);
            if (openLoopTransport != null) {
                channel.eventLoopGroup(openLoopTransport)
                        .channelType(openLoopTransport instanceof EpollEventLoopGroup ? EpollSocketChannel.class : NioSocketChannel.class);
            }
            channels.add(channel.build());
        }
        try {
            LoadResult result = switch (method) {
                case "status", "health" -> {
                    double warmedUp = warmUp();
                    measuring();
                    yield run(seconds).withWarmup(warmedUp);
                }
                case "manifest" -> {
                    long start = System.nanoTime();
                    for (int i = 0; i < warmupManifests; i++) {
                        manifest(warmupEntries == null ? manifestEntries : warmupEntries, warmupKeyOffset == null ? keyOffset : warmupKeyOffset);
                    }
                    double warmedUp = (System.nanoTime() - start) / 1e9;
                    if (awaitGo) {
                        awaitGo();
                    }
                    measuring();
                    yield manifest(manifestEntries, keyOffset).withWarmup(warmedUp);
                }
                case "prefetch" -> prefetch();
                default -> throw new CommandLine.ParameterException(spec.commandLine(), "--method must be status, health, manifest or prefetch");
            };
            Files.createDirectories(out.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
            System.out.printf("%s: %.0f calls/s, p50 %.2f ms, p99 %.2f ms, generator CPU %.0f%% of the machine%n", label,
                    result.callsPerSecond(), result.latency().p50Ms(), result.latency().p99Ms(), 100 * result.generatorCpuShare());
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
            if (openLoopTransport != null) {
                openLoopTransport.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
        return 0;
    }

    /** Says it is warm and waits for a line on standard input (or its end: the bench that started it has gone). */
    private static void awaitGo() throws IOException {
        System.out.println(AWAITING_GO);
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    /** Tells whoever reads this process's output (the bench, starting a run beside this one) that the measured part begins. */
    private static void measuring() {
        System.out.println(MEASURING);
        System.out.flush();
    }

    /**
     * The fixed warm-up, then more, a second at a time, while a JIT compiler still works: the
     * generator's own or a --settle-pid's. On a 2-core machine a compiler that runs through the
     * measured run takes most of a core from it.
     *
     * @return seconds spent warming up
     */
    private double warmUp() throws InterruptedException {
        long start = System.nanoTime();
        if (warmupSeconds > 0) {
            run(warmupSeconds);
        }
        List<Long> pids = new ArrayList<>(settlePids);
        pids.add(ProcessHandle.current().pid());
        while ((System.nanoTime() - start) / 1e9 + 1 <= maxWarmupSeconds) {
            long[] before = pids.stream().mapToLong(pid -> JitActivity.compilerCpu(pid).toMillis()).toArray();
            run(1);
            boolean quiet = true;
            for (int i = 0; i < pids.size(); i++) {
                quiet &= JitActivity.compilerCpu(pids.get(i)).toMillis() - before[i] <= QUIET_COMPILER_MS_PER_SECOND;
            }
            if (quiet) {
                break;
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private LoadResult run(double length) throws InterruptedException {
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        Measurement measured = new Measurement(start, (int) Math.ceil(length), TimeUnit.MILLISECONDS.toNanos(deadlineMs));
        long end = start + (long) (length * 1e9);
        double offered;
        if (rate == null) {
            CountDownLatch loops = new CountDownLatch(inFlight);
            AtomicLong sequence = new AtomicLong();
            for (int i = 0; i < inFlight; i++) {
                closedLoop(measured, sequence, end, loops);
            }
            loops.await((long) length + deadlineMs / 1000 + 30, TimeUnit.SECONDS);
            offered = 0;
        } else {
            offered = openLoop(measured, RateProfile.parse(rate), start, end);
        }
        long cpu = processCpuNanos() - cpuBefore;
        return measured.result(label, rate == null ? "closed loop, " + inFlight + " in flight" : "open loop, " + rate + " calls/s",
                method, connections, inFlight, offered, cpu / 1e9, Runtime.getRuntime().availableProcessors());
    }

    /** Each completion sends the next call until the run ends. */
    private void closedLoop(Measurement measured, AtomicLong sequence, long end, CountDownLatch loops) {
        long now = System.nanoTime();
        if (now >= end || (calls > 0 && sequence.get() >= calls)) {
            loops.countDown();
            return;
        }
        send(measured, sequence.getAndIncrement(), now, () -> closedLoop(measured, sequence, end, loops));
    }

    /**
     * Sends each call at its scheduled time whatever the target does; a call sent late (the
     * generator asleep or busy) still counts from when it was due. The calls are sent from the
     * connections' one transport thread, every call due at once when it wakes: sent from a pacing
     * thread of its own, each call woke a transport thread, and on this machine's virtual CPUs
     * those wake-ups made the generator cost more than the bare server it measured.
     *
     * @return the mean offered rate
     */
    private double openLoop(Measurement measured, RateProfile profile, long start, long end) throws InterruptedException {
        CountDownLatch paced = new CountDownLatch(1);
        Pacer pacer = new Pacer(measured, profile, start, end, paced);
        openLoopTransport.execute(pacer);
        paced.await((end - System.nanoTime()) / 1_000_000 + 30_000, TimeUnit.MILLISECONDS);
        long drainUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs) + TimeUnit.SECONDS.toNanos(5);
        while (measured.inFlight() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(5);
        }
        return pacer.sent / ((end - start) / 1e9);
    }

    /** The open loop's schedule, run on the connections' transport thread. */
    private final class Pacer implements Runnable {
        private final Measurement measured;
        private final RateProfile profile;
        private final long start;
        private final long end;
        private final CountDownLatch paced;
        /** Seconds from the start at which the next call is due. */
        private double at;
        /** Read once {@code paced} has counted down, which publishes it. */
        private long sent;

        Pacer(Measurement measured, RateProfile profile, long start, long end, CountDownLatch paced) {
            this.measured = measured;
            this.profile = profile;
            this.start = start;
            this.end = end;
            this.paced = paced;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            long due = dueNanos();
            while (due <= now && due < end) {
                send(measured, sent++, due, null);
                at += 1 / profile.rateAt(at);
                due = dueNanos();
            }
            if (due >= end) {
                paced.countDown();
            } else {
                openLoopTransport.schedule(this, due - now, TimeUnit.NANOSECONDS);
            }
        }

        private long dueNanos() {
            return start + (long) (at * 1e9);
        }
    }

    private void send(Measurement measured, long sequence, long intended, Runnable then) {
        ManagedChannel channel = channels.get((int) (roundRobin.getAndIncrement() % channels.size()));
        measured.sent(intended);
        if (method.equals("health")) {
            HealthGrpc.HealthStub stub = HealthGrpc.newStub(channel).withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
            stub.check(HealthCheckRequest.getDefaultInstance(), new Completion<>(measured, intended, null, then));
            return;
        }
        long key = distribution.next(sequence);
        TravelerStatusServiceGrpc.TravelerStatusServiceStub stub = TravelerStatusServiceGrpc.newStub(channel)
                .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
        if (token != null) {
            stub = stub.withCallCredentials(token);
        }
        stub.getStatus(request(key), new Completion<>(measured, intended, Travelers.healthSource(key), then));
    }

    private GetStatusRequest request(long key) {
        if (key >= requests.length) {
            return Travelers.request(key, !withoutPhone);
        }
        GetStatusRequest built = requests[(int) key];
        if (built == null) {
            // Built once per key and kept: the generator's CPU goes to calls, not to formatting IDs.
            built = Travelers.request(key, !withoutPhone);
            requests[(int) key] = built;
        }
        return built;
    }

    /** One CheckBatch stream of distinct travelers, sent as fast as the hub's flow control allows. */
    private LoadResult manifest(int entries, long firstKey) throws InterruptedException {
        return entryStream("one CheckBatch stream of " + entries + " entries", entries, firstKey, TravelerStatusServiceGrpc.TravelerStatusServiceStub::checkBatch,
                (id, key) -> CheckBatchRequest.newBuilder().setEntryId(id).setTraveler(Travelers.key(key)).build(),
                CheckBatchResult::getEntryId,
                (measured, entry, result) -> measured.completed(entry[0], Travelers.healthSource(entry[1]),
                        result.hasStatus() ? Status.Code.OK : Status.Code.valueOf(result.getError().getCode()),
                        result.hasStatus() ? result.getStatus() : null));
    }

    /** One PrefetchManifest stream of distinct travelers; each entry's outcome (WARMED, NOT_FETCHED, ...) is tallied. */
    private LoadResult prefetch() throws InterruptedException {
        return entryStream("one PrefetchManifest stream of " + manifestEntries + " entries", manifestEntries, keyOffset,
                TravelerStatusServiceGrpc.TravelerStatusServiceStub::prefetchManifest,
                (id, key) -> PrefetchEntry.newBuilder().setEntryId(id).setTraveler(Travelers.key(key)).build(),
                PrefetchResult::getEntryId,
                (measured, entry, result) -> measured.completed(entry[0], Travelers.healthSource(entry[1]), result.getOutcome().name()));
    }

    interface StreamOpener<Q, R> {
        StreamObserver<Q> open(TravelerStatusServiceGrpc.TravelerStatusServiceStub stub, StreamObserver<R> results);
    }

    interface EntryCompletion<R> {
        void complete(Measurement measured, long[] sentAtAndKey, R result);
    }

    /** Streams {@code entries} distinct travelers from {@code firstKey} as fast as flow control allows; latency per entry from its send. */
    private <Q, R> LoadResult entryStream(String description, int entries, long firstKey, StreamOpener<Q, R> opener, BiFunction<String, Long, Q> entry,
                                          Function<R, String> entryIdOf, EntryCompletion<R> completion)
            throws InterruptedException {
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        Measurement measured = new Measurement(start, 600, TimeUnit.MILLISECONDS.toNanos(deadlineMs));
        Map<String, long[]> sentAt = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(1);
        TravelerStatusServiceGrpc.TravelerStatusServiceStub stub = TravelerStatusServiceGrpc.newStub(channels.getFirst())
                .withDeadlineAfter(Math.max(deadlineMs, 600_000), TimeUnit.MILLISECONDS);
        if (token != null) {
            stub = stub.withCallCredentials(token);
        }
        opener.open(stub, new ClientResponseObserver<Q, R>() {
            private int next;

            @Override
            public void beforeStart(ClientCallStreamObserver<Q> stream) {
                stream.setOnReadyHandler(() -> {
                    while (stream.isReady() && next < entries) {
                        long key = firstKey + next;
                        String entryId = "seat-" + next++;
                        long[] sent = {System.nanoTime(), key};
                        sentAt.put(entryId, sent);
                        measured.sent(sent[0]);
                        stream.onNext(entry.apply(entryId, key));
                    }
                    if (next == entries) {
                        next++;
                        stream.onCompleted();
                    }
                });
            }

            @Override
            public void onNext(R result) {
                long[] sent = sentAt.remove(entryIdOf.apply(result));
                if (sent != null) {
                    completion.complete(measured, sent, result);
                }
            }

            @Override
            public void onError(Throwable t) {
                System.err.println(description + " failed: " + Status.fromThrowable(t));
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        done.await(Math.max(deadlineMs, 600_000) + 10_000, TimeUnit.MILLISECONDS);
        long cpu = processCpuNanos() - cpuBefore;
        return measured.result(label, description, method, 1, 0, 0, cpu / 1e9, Runtime.getRuntime().availableProcessors());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Tallies one call and, in the closed loop, sends the next. */
    private static final class Completion<T> implements StreamObserver<T> {
        private final Measurement measured;
        private final long intended;
        private final String source;
        private final Runnable then;
        private T answer;

        Completion(Measurement measured, long intended, String source, Runnable then) {
            this.measured = measured;
            this.intended = intended;
            this.source = source;
            this.then = then;
        }

        @Override
        public void onNext(T value) {
            answer = value;
        }

        @Override
        public void onError(Throwable t) {
            measured.completed(intended, source, Status.fromThrowable(t).getCode(), null);
            next();
        }

        @Override
        public void onCompleted() {
            measured.completed(intended, source, Status.Code.OK, answer instanceof TravelerStatus status ? status : null);
            next();
        }

        private void next() {
            if (then != null) {
                then.run();
            }
        }
    }
}
