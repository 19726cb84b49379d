package dev.tongxing.cli;

import dev.tongxing.api.offline.CodeRefused;
import dev.tongxing.api.offline.TrustListRefused;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.VerifyCodeRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tongxing verify}: a scanned QR payload, by the hub or, with {@code --offline}, by a trust list alone. */
@Command(name = "verify", description = {
        "Verify a QR payload scanned from a province's health-code app.",
        "With --offline, a signed code (TX1:) is decided here with no hub at all, against a trust list saved with 'trust-list save'."})
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

    @Option(names = "--resident-id", description = "resident ID the traveler presents with a signed code: checked against the code, and lets the hub ask the province")
    String residentId;

    @Option(names = "--offline", description = "decide here, with no hub: needs --trust-list and the ministry key")
    boolean offline;

    @Option(names = "--trust-list", description = "signed trust list file (from 'tongxing trust-list save' or the hub's export)")
    Path trustList;

    @Option(names = "--ministry-key", defaultValue = "${env:TONGXING_MINISTRY_KEY}",
            description = "the ministry's public key the trust list must verify with: base64 or PEM, or @file (default: $TONGXING_MINISTRY_KEY)")
    String ministryKey;

    @Option(names = "--max-signed-age", defaultValue = "PT24H",
            description = "offline policy: the oldest signed green code that passes, ISO-8601 (default: ${DEFAULT-VALUE}; PT0S: none passes on its own)")
    Duration maxSignedAge;

    @Override
    public Integer call() {
        if (offline) {
            return offline();
        }
        VerifyCodeRequest.Builder request = VerifyCodeRequest.newBuilder().setPayload(payload).setPhoneNumber(phone).setCheckpointId(checkpoint);
        if (residentId != null) {
            request.setPresentedDocument(TravelerKey.newBuilder().setDocumentType(DocumentType.RESIDENT_ID).setDocumentNumber(residentId));
        }
        return cli.printStatus(spec, stub -> stub.verifyCode(request.build()));
    }

    private int offline() {
        if (trustList == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--offline needs --trust-list FILE");
        }
        if (maxSignedAge.isNegative()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-signed-age cannot be negative");
        }
        var ministry = MinistryKey.read(ministryKey, spec.commandLine());
        Optional<OfflineCheck.Document> document = Optional.ofNullable(residentId)
                .map(number -> new OfflineCheck.Document(DocumentType.RESIDENT_ID, number));
        try {
            StatusPrinter.print(OfflineCheck.decide(TrustListFile.read(trustList), ministry, payload, document, maxSignedAge, Instant.now()),
                    cli.json, spec.commandLine().getOut());
            return 0;
        } catch (TrustListRefused e) {
            return refused("FAILED_PRECONDITION: " + e.getMessage());
        } catch (CodeRefused e) {
            return refused("INVALID_ARGUMENT: payload: " + e.getMessage());
        }
    }

    /** The hub's error shape (exit 2), so scripts read both alike. */
    private int refused(String message) {
        spec.commandLine().getErr().println(message);
        spec.commandLine().getErr().flush();
        return 2;
    }
}
