package dev.tongxing.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.ReplicaChain;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyAuditChainResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tongxing audit verify}: checks every replica's chain; exit 0 intact, 1 broken, 2 error. */
@Command(name = "verify", description = "Verify the audit hash chains and signed heads.")
final class AuditVerifyCommand implements Callable<Integer> {

    @ParentCommand
    AuditCommand audit;

    @Spec
    CommandSpec spec;

    @Option(names = "--from-sequence", defaultValue = "0", description = "first sequence of each chain (0: the first)")
    long fromSequence;

    @Option(names = "--to-sequence", defaultValue = "0", description = "last sequence of each chain (0: the newest)")
    long toSequence;

    @Option(names = "--replica", description = "only this replica's chain")
    String replica;

    @Option(names = "--timeout-s", defaultValue = "600", description = "how long to wait for the hub (default: ${DEFAULT-VALUE} s)")
    long timeoutSeconds;

    @Override
    public Integer call() throws InvalidProtocolBufferException {
        TongxingCli cli = audit.cli;
        PrintWriter out = spec.commandLine().getOut();
        ManagedChannel channel = cli.channel();
        try {
            VerifyAuditChainRequest.Builder request = VerifyAuditChainRequest.newBuilder()
                    .setFromSequence(fromSequence).setToSequence(toSequence);
            if (replica != null) {
                request.setReplicaId(replica);
            }
            VerifyAuditChainResponse result = AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(cli.credentials())
                    .withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS).verifyAuditChain(request.build());
            if (cli.json) {
                out.println(JsonFormat.printer().omittingInsignificantWhitespace().print(result));
            } else {
                out.println(result.getIntact() ? "INTACT  " + result.getRecordsChecked() + " record(s) checked"
                        : "BROKEN  " + result.getProblem() + " at " + result.getFirstBrokenReplicaId() + ":"
                        + result.getFirstBrokenSequence() + "  " + result.getDetail());
                for (ReplicaChain chain : result.getReplicasList()) {
                    out.printf("  %-30s checked %d, last %d, signed up to %d%n", chain.getReplicaId(), chain.getRecordsChecked(),
                            chain.getLastSequence(), chain.getLastSignedSequence());
                }
            }
            out.flush();
            return result.getIntact() ? 0 : 1;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            spec.commandLine().getErr().flush();
            return 2;
        } finally {
            TongxingCli.close(channel);
        }
    }
}
