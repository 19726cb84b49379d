package dev.tongxing.bench;

import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedTraveler;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures a running hub (the demo application: {@code mvn -pl demo -am spring-boot:run}) against a baseline
 * gRPC server started here, in the same run, and writes a report of the ratios. All traffic goes to
 * loopback; every loop is bounded in time.
 */
@Command(name = "tongxing-bench", mixinStandardHelpOptions = true,
        description = "Benchmarks a Tongxing hub against a same-run gRPC baseline; writes a Markdown report.")
public final class TongxingBench implements Callable<Integer> {

    @Option(names = "--hub", defaultValue = "127.0.0.1:9090", description = "host:port of the hub under test (loopback)")
    String hub;

    @Option(names = "--seconds", defaultValue = "10", description = "length of each measured run")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "5", description = "unmeasured run before each target; long enough to cache the hot set within the province's capacity")
    int warmupSeconds;

    @Option(names = "--concurrency", defaultValue = "64", description = "calls in flight")
    int concurrency;

    @Option(names = "--hot-travelers", defaultValue = "500", description = "travelers in the cached-scan working set")
    int hotTravelers;

    @Option(names = "--population", defaultValue = "10000", description = "size of the hub's simulated population (tongxing.demo.travelers)")
    int populationSize;

    @Option(names = "--report", defaultValue = "bench/reports/latest.md", description = "where to write the report")
    Path report;

    @Option(names = "--token-url", defaultValue = "http://127.0.0.1:9091/dev-identity/token",
            description = "token endpoint (default: the demo hub's development identity)")
    java.net.URI tokenUrl;

    @Option(names = "--client-id", defaultValue = "bench-load",
            description = "checkpoint client the load runs as; the demo gives it a per-caller limit above any load this machine makes")
    String clientId;

    @Option(names = "--client-secret", defaultValue = "${env:TONGXING_CLIENT_SECRET:-demo-bench-secret}", description = "its secret")
    String clientSecret;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TongxingBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!hub.startsWith("127.") && !hub.startsWith("localhost:")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--hub must be a loopback address");
        }
        Duration deadline = Duration.ofSeconds(2);
        List<String> lines = new ArrayList<>();
        // Every call carries a token, as a real checkpoint's does: the hub's cost of checking it is in the figures.
        ManagedChannel hubChannel = NettyChannelBuilder.forAddress(hub.split(":", 2)[0], Integer.parseInt(hub.split(":", 2)[1]))
                .usePlaintext()
                .intercept(new io.grpc.ClientInterceptor() {
                    private final io.grpc.CallCredentials token = dev.tongxing.api.access.AccessToken.fetch(tokenUrl, clientId, clientSecret);

                    @Override
                    public <Q, A> io.grpc.ClientCall<Q, A> interceptCall(io.grpc.MethodDescriptor<Q, A> method, io.grpc.CallOptions options,
                                                                         io.grpc.Channel next) {
                        return next.newCall(method, options.withCallCredentials(token));
                    }
                })
                .build();
        try {
            LongFunction<GetStatusRequest> hot = i -> request(SimulatedPopulation.traveler((int) (i % hotTravelers)));
            // The baseline answers what the hub answers, byte for byte in size.
            TravelerStatus sample = TravelerStatusServiceGrpc.newBlockingStub(hubChannel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS).getStatus(hot.apply(0));
            try (BaselineServer baseline = new BaselineServer(sample)) {
                ManagedChannel baselineChannel = channel(baseline.target());
                try {
                    LoadRun.Result base = measure(baselineChannel, "baseline gRPC server", hot, deadline);
                    LoadRun.Result cached = measure(hubChannel, "hub, cached scans", hot, deadline);
                    // Travelers outside the hot set, from the demo population (10,000 by default), in order.
                    LongFunction<GetStatusRequest> surge = i -> request(SimulatedPopulation.traveler(
                            hotTravelers + (int) (i % (populationSize - hotTravelers))));
                    LoadRun.Result misses = measure(hubChannel, "hub, surge of new travelers", surge, deadline);
                    lines.addAll(report(base, List.of(cached, misses), sample.getSerializedSize()));
                } finally {
                    baselineChannel.shutdownNow();
                }
            }
        } finally {
            hubChannel.shutdownNow();
        }
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.write(report, lines, StandardCharsets.UTF_8);
        lines.forEach(System.out::println);
        return 0;
    }

    private LoadRun.Result measure(ManagedChannel channel, String target, LongFunction<GetStatusRequest> requests, Duration deadline)
            throws InterruptedException {
        new LoadRun(channel, concurrency, Duration.ofSeconds(warmupSeconds), deadline).run(target, requests);
        return new LoadRun(channel, concurrency, Duration.ofSeconds(seconds), deadline).run(target, requests);
    }

    private List<String> report(LoadRun.Result baseline, List<LoadRun.Result> runs, int answerBytes) throws IOException {
        List<String> out = new ArrayList<>();
        out.add("# Tongxing benchmark report");
        out.add("");
        out.add("Run " + ZonedDateTime.now() + " on " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("java.version") + "; " + concurrency + " calls in flight, " + seconds + " s per run after "
                + warmupSeconds + " s of warm-up; answers of " + answerBytes + " bytes. Client, baseline and hub share the machine.");
        out.add("");
        out.add("| target | calls/s | p50 ms | p99 ms | p99.9 ms | throughput vs baseline | p99 vs baseline | outcomes |");
        out.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        out.add(row(baseline, baseline));
        for (LoadRun.Result run : runs) {
            out.add(row(run, baseline));
        }
        out.add("");
        out.add("The surge asks about travelers the hub has never seen, faster than the simulated province's declared");
        out.add("capacity (200/s): answers past that capacity come back at once with the health code UNAVAILABLE");
        out.add("(\"declared capacity reached\") rather than queueing, which is the behaviour under test.");
        return out;
    }

    private static String row(LoadRun.Result run, LoadRun.Result baseline) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |", run.target(), run.perSecond(),
                run.p50Ms(), run.p99Ms(), run.p999Ms(), run.perSecond() / baseline.perSecond(), run.p99Ms() / baseline.p99Ms(),
                run.outcomes().toString().replace("|", "/"));
    }

    private static GetStatusRequest request(SimulatedTraveler traveler) {
        return GetStatusRequest.newBuilder().setTraveler(TravelerKey.newBuilder()
                .setDocumentType(DocumentType.RESIDENT_ID)
                .setDocumentNumber(traveler.residentId())
                .setPhoneNumber(traveler.phone())).build();
    }

    private static ManagedChannel channel(String target) {
        String[] parts = target.split(":", 2);
        return NettyChannelBuilder.forAddress(parts[0], Integer.parseInt(parts[1])).usePlaintext().build();
    }
}
