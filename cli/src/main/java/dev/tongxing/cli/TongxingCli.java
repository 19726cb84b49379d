package dev.tongxing.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command-line client for a Tongxing hub. */
@Command(name = "tongxing", mixinStandardHelpOptions = true, version = "tongxing 0.1.0",
        description = "Asks a Tongxing hub over gRPC.",
        subcommands = {StatusCommand.class, VerifyCommand.class, ManifestCommand.class, AuditCommand.class})
public final class TongxingCli {

    @Option(names = "--hub", defaultValue = "127.0.0.1:9090", description = "host:port of the hub (default: ${DEFAULT-VALUE})")
    String hub;

    @Option(names = "--deadline-ms", defaultValue = "3000", description = "deadline per call in ms (default: ${DEFAULT-VALUE})")
    long deadlineMs;

    @Option(names = "--json", description = "print the answer as JSON (proto3 JSON mapping)")
    boolean json;

    ManagedChannel channel() {
        String[] parts = hub.split(":", 2);
        if (parts.length != 2) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--hub must be host:port");
        }
        return NettyChannelBuilder.forAddress(parts[0], Integer.parseInt(parts[1])).usePlaintext().build();
    }

    /** Runs one unary call on a fresh channel and prints its answer, or the hub's error (exit 2). */
    int printStatus(picocli.CommandLine.Model.CommandSpec spec,
                    java.util.function.Function<dev.tongxing.api.v1.TravelerStatusServiceGrpc.TravelerStatusServiceBlockingStub,
                            dev.tongxing.api.v1.TravelerStatus> call) {
        ManagedChannel channel = channel();
        try {
            var stub = dev.tongxing.api.v1.TravelerStatusServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
            StatusPrinter.print(call.apply(stub), json, spec.commandLine().getOut());
            return 0;
        } catch (io.grpc.StatusRuntimeException e) {
            spec.commandLine().getErr().println(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            spec.commandLine().getErr().flush();
            return 2;
        } finally {
            close(channel);
        }
    }

    static void close(ManagedChannel channel) {
        channel.shutdown();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) {
        System.exit(run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args));
    }

    static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return new CommandLine(new TongxingCli()).setOut(out).setErr(err).execute(args);
    }
}
