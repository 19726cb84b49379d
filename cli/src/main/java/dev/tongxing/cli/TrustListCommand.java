package dev.tongxing.cli;

import dev.tongxing.api.offline.ProvinceKeys;
import dev.tongxing.api.offline.TrustListRefused;
import dev.tongxing.api.offline.TrustLists;
import dev.tongxing.api.v1.GetTrustListRequest;
import dev.tongxing.api.v1.SignedTrustList;
import dev.tongxing.api.v1.TrustList;
import dev.tongxing.api.v1.TrustListServiceGrpc;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tongxing trust-list}: the ministry-signed list of province keys a checkpoint carries offline. */
@Command(name = "trust-list", description = "The signed trust list of province code-signing keys.", subcommands = TrustListCommand.Save.class)
final class TrustListCommand {

    @ParentCommand
    TongxingCli cli;

    /** {@code tongxing trust-list save FILE}: fetch it from the hub, check it, and save it for offline use. */
    @Command(name = "save", description = "Fetch the current trust list from the hub, verify it with the ministry key, and save it to FILE.")
    static final class Save implements Callable<Integer> {

        @ParentCommand
        TrustListCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "where to save it (replaced atomically)")
        Path file;

        @Option(names = "--ministry-key", defaultValue = "${env:TONGXING_MINISTRY_KEY}",
                description = "the ministry's public key: base64 or PEM, or @file (default: $TONGXING_MINISTRY_KEY); a list that does not verify is not saved")
        String ministryKey;

        @Override
        public Integer call() {
            var ministry = MinistryKey.read(ministryKey, spec.commandLine());
            TongxingCli cli = parent.cli;
            ManagedChannel channel = cli.channel();
            try {
                SignedTrustList signed = TrustListServiceGrpc.newBlockingStub(channel)
                        .withCallCredentials(cli.credentials())
                        .withDeadlineAfter(cli.deadlineMs, TimeUnit.MILLISECONDS)
                        .getTrustList(GetTrustListRequest.getDefaultInstance());
                TrustList list = TrustLists.verify(signed, ministry, Instant.now());
                ProvinceKeys.from(list);
                TrustListFile.write(signed, file);
                spec.commandLine().getOut().printf("Saved trust list of %d keys, signed by %s, valid until %s, to %s%n",
                        list.getKeysCount(), signed.getSignerKeyId(), Instant.ofEpochSecond(list.getValidUntil().getSeconds()), file);
                spec.commandLine().getOut().flush();
                return 0;
            } catch (io.grpc.StatusRuntimeException e) {
                return refused(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            } catch (TrustListRefused e) {
                return refused("FAILED_PRECONDITION: " + e.getMessage() + "; nothing saved");
            } finally {
                TongxingCli.close(channel);
            }
        }

        private int refused(String message) {
            spec.commandLine().getErr().println(message);
            spec.commandLine().getErr().flush();
            return 2;
        }
    }
}
