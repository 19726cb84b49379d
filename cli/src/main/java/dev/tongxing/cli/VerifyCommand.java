package dev.tongxing.cli;

import dev.tongxing.api.v1.VerifyCodeRequest;
import java.util.concurrent.Callable;
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

    @Option(names = "--checkpoint", defaultValue = "", description = "checkpoint id: empty, or the calling client's own (its verdict policy applies either way)")
    String checkpoint;

    @Override
    public Integer call() {
        VerifyCodeRequest request = VerifyCodeRequest.newBuilder().setPayload(payload).setPhoneNumber(phone).setCheckpointId(checkpoint).build();
        return cli.printStatus(spec, stub -> stub.verifyCode(request));
    }
}
