package dev.tongxing.cli;

import dev.tongxing.api.access.AccessToken;
import dev.tongxing.api.client.HubChannels;
import io.grpc.ManagedChannel;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command-line client for a Tongxing hub. */
@Command(name = "tongxing", mixinStandardHelpOptions = true, version = "tongxing 0.1.0",
        description = "Asks a Tongxing hub over gRPC.",
        subcommands = {StatusCommand.class, VerifyCommand.class, ManifestCommand.class, PrefetchCommand.class, AuditCommand.class,
                TrustListCommand.class})
public final class TongxingCli {

    @Option(names = "--hub", defaultValue = "127.0.0.1:9090",
            description = "host:port of the hub, or host:port,host:port,... of several replicas; calls go round-robin "
                    + "to every address and are retried on another when one is unavailable (default: ${DEFAULT-VALUE})")
    String hub;

    @Option(names = "--deadline-ms", defaultValue = "3000", description = "deadline per call in ms (default: ${DEFAULT-VALUE})")
    long deadlineMs;

    @Option(names = "--json", description = "print the answer as JSON (proto3 JSON mapping)")
    boolean json;

    @Option(names = "--token", defaultValue = "${env:TONGXING_TOKEN}",
            description = "access token to send as is (default: $TONGXING_TOKEN); otherwise one is fetched with --client-id")
    String token;

    @Option(names = "--token-url", defaultValue = "${env:TONGXING_TOKEN_URL:-http://127.0.0.1:9091/dev-identity/token}",
            description = "OAuth 2.0 token endpoint, e.g. a Keycloak realm's .../protocol/openid-connect/token "
                    + "(default: the demo hub's development identity, ${DEFAULT-VALUE})")
    java.net.URI tokenUrl;

    @Option(names = "--client-id", defaultValue = "${env:TONGXING_CLIENT_ID:-checkpoint-xian-north}",
            description = "client for the client-credentials grant (default: ${DEFAULT-VALUE})")
    String clientId;

    @Option(names = "--client-secret", defaultValue = "${env:TONGXING_CLIENT_SECRET:-demo-checkpoint-secret}",
            description = "its secret (default: $TONGXING_CLIENT_SECRET, else the demo checkpoint's)", interactive = false)
    String clientSecret;

    /** A channel with the contract's retry policy (HubChannels): a replica draining or gone costs a retry, not a scan. */
    ManagedChannel channel() {
        try {
            return HubChannels.forTarget(hub).usePlaintext().build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--hub: " + e.getMessage());
        }
    }

    /** The credentials every call carries. */
    AccessToken credentials() {
        return token != null && !token.isBlank() ? AccessToken.of(token) : AccessToken.fetch(tokenUrl, clientId, clientSecret);
    }

    /** Runs one unary call on a fresh channel and prints its answer, or the hub's error (exit 2). */
    int printStatus(picocli.CommandLine.Model.CommandSpec spec,
                    java.util.function.Function<dev.tongxing.api.v1.TravelerStatusServiceGrpc.TravelerStatusServiceBlockingStub,
                            dev.tongxing.api.v1.TravelerStatus> call) {
        ManagedChannel channel = channel();
        try {
            var stub = dev.tongxing.api.v1.TravelerStatusServiceGrpc.newBlockingStub(channel)
                    .withCallCredentials(credentials())
                    .withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS);
            StatusPrinter.print(call.apply(stub), json, spec.commandLine().getOut());
            return 0;
        } catch (io.grpc.StatusRuntimeException e) {
            spec.commandLine().getErr().println(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            spec.commandLine().getErr().flush();
            return 2;
        } catch (AccessToken.TokenUnavailable e) {
            spec.commandLine().getErr().println("UNAUTHENTICATED: " + e.getMessage());
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
        return new CommandLine(new TongxingCli()).setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((failure, commandLine, parsed) -> {
                    if (failure instanceof AccessToken.TokenUnavailable) {
                        commandLine.getErr().println("UNAUTHENTICATED: " + failure.getMessage());
                        commandLine.getErr().flush();
                        return 2;
                    }
                    throw failure;
                })
                .execute(args);
    }
}
