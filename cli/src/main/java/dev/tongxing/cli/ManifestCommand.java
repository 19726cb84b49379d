package dev.tongxing.cli;

import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tongxing manifest FILE}: checks a manifest, one traveler per line as
 * {@code entry,document_type,number,phone,province} (phone and province may be empty).
 */
@Command(name = "manifest", description = "Check a train or flight manifest (CSV: entry,document_type,number,phone,province).")
final class ManifestCommand implements Callable<Integer> {

    @ParentCommand
    TongxingCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "manifest CSV file")
    Path file;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        ManagedChannel channel = cli.channel();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        var out = spec.commandLine().getOut();
        try {
            StreamObserver<CheckBatchRequest> requests = TravelerStatusServiceGrpc.newStub(channel)
                    .withCallCredentials(cli.credentials())
                    .checkBatch(new StreamObserver<>() {
                        @Override
                        public void onNext(CheckBatchResult result) {
                            synchronized (out) {
                                if (result.hasError()) {
                                    out.printf("%-10s ERROR %s: %s%n", result.getEntryId(), result.getError().getCode(), result.getError().getMessage());
                                } else {
                                    var status = result.getStatus();
                                    out.printf("%-10s %-15s health %-7s travel %-14s %s%n", result.getEntryId(),
                                            status.getVerdict().getDecision(), status.getHealthCode().getColour(),
                                            status.getTravelCard().getColour(), String.join("; ", status.getVerdict().getReasonsList()));
                                }
                                out.flush();
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            failed.set(t);
                            done.countDown();
                        }

                        @Override
                        public void onCompleted() {
                            done.countDown();
                        }
                    });
            for (String line : lines) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                TravelerKey.Builder key = TravelerKey.newBuilder()
                        .setDocumentType(DocumentType.valueOf(cells[1].strip()))
                        .setDocumentNumber(cells[2].strip());
                if (cells.length > 3) {
                    key.setPhoneNumber(cells[3].strip());
                }
                if (cells.length > 4) {
                    key.setIssuingProvince(cells[4].strip());
                }
                requests.onNext(CheckBatchRequest.newBuilder().setEntryId(cells[0].strip()).setTraveler(key).build());
            }
            requests.onCompleted();
            if (!done.await(60, TimeUnit.SECONDS) || failed.get() != null) {
                spec.commandLine().getErr().println("manifest check failed: " + (failed.get() == null ? "timed out" : failed.get().getMessage()));
                return 2;
            }
            return 0;
        } finally {
            TongxingCli.close(channel);
        }
    }
}
