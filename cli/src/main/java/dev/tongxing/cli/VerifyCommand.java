package dev.tongxing.cli;

import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.VerifyCodeRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tongxing verify}: a scanned QR payload. */
@Command(name = "verify", description = "Verify a QR payload scanned from a province's health-code app.")
final class VerifyCommand implements Callable<Integer> {

    @ParentCommand
    TongxingCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "the scanned payload text")
    String payload;

    @Option(names = "--phone", defaultValue = "", description = "phone number the traveler gives, for the travel card")
    String phone;

    @Option(names = "--checkpoint", defaultValue = "", description = "checkpoint id (selects the verdict policy)")
    String checkpoint;

    @Override
    public Integer call() {
        ManagedChannel channel = cli.channel();
        try {
            TravelerStatus status = TravelerStatusServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(cli.deadlineMs, TimeUnit.MILLISECONDS)
                    .verifyCode(VerifyCodeRequest.newBuilder().setPayload(payload).setPhoneNumber(phone).setCheckpointId(checkpoint).build());
            StatusPrinter.print(status, cli.json, spec.commandLine().getOut());
            return 0;
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            return 2;
        } finally {
            TongxingCli.close(channel);
        }
    }
}
