package dev.tongxing.cli;

import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.TravelerKey;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.client.HubChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>When the stream ends with UNAVAILABLE (a hub replica draining for an upgrade, or gone), the
 * entries already answered stay answered and the others are sent again on a new stream, which the
 * channel places on another replica; each entry is printed once.
 */
@Command(name = "manifest", description = "Check a train or flight manifest (CSV: entry,document_type,number,phone,province).")
final class ManifestCommand implements Callable<Integer> {

    @ParentCommand
    TongxingCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "manifest CSV file")
    Path file;

    /** Pause before resending, times the attempt: the load balancer and DNS catch up with a replica that left. */
    private static final long RESEND_PAUSE_MS = 200;

    @Override
    public Integer call() throws IOException, InterruptedException {
        // Entries by id, in file order; an entry leaves once the hub has answered it.
        Map<String, CheckBatchRequest> unanswered = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            CheckBatchRequest entry = entry(line);
            unanswered.put(entry.getEntryId(), entry);
        }
        ManagedChannel channel = cli.channel();
        var credentials = cli.credentials();
        try {
            for (int attempt = 1; ; attempt++) {
                Throwable failure = check(channel, credentials, unanswered);
                if (failure == null) {
                    return 0;
                }
                Status status = Status.fromThrowable(failure);
                boolean replicaWentAway = status.getCode() == Status.Code.UNAVAILABLE && !unanswered.isEmpty();
                if (!replicaWentAway || attempt >= HubChannels.MAX_ATTEMPTS) {
                    spec.commandLine().getErr().println("manifest check failed: " + status.getCode() + ": " + status.getDescription()
                            + (unanswered.isEmpty() ? "" : " (" + unanswered.size() + " entries without an answer)"));
                    return 2;
                }
                // A hub replica drained or went away mid-stream: the entries it answered stay answered, the rest go on a new stream.
                spec.commandLine().getErr().println("hub unavailable (" + status.getDescription() + "); sending the "
                        + unanswered.size() + " entries without an answer on a new stream");
                spec.commandLine().getErr().flush();
                Thread.sleep(RESEND_PAUSE_MS * attempt);
            }
        } finally {
            TongxingCli.close(channel);
        }
    }

    /** One stream carrying every unanswered entry; null once the hub has completed it, otherwise why it ended. */
    private Throwable check(ManagedChannel channel, io.grpc.CallCredentials credentials, Map<String, CheckBatchRequest> unanswered)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        var out = spec.commandLine().getOut();
        List<CheckBatchRequest> entries;
        synchronized (unanswered) {
            entries = new ArrayList<>(unanswered.values());
        }
        StreamObserver<CheckBatchRequest> requests = TravelerStatusServiceGrpc.newStub(channel)
                .withCallCredentials(credentials)
                .checkBatch(new StreamObserver<>() {
                    @Override
                    public void onNext(CheckBatchResult result) {
                        synchronized (unanswered) {
                            if (unanswered.remove(result.getEntryId()) == null) {
                                return;
                            }
                        }
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
        for (CheckBatchRequest entry : entries) {
            requests.onNext(entry);
        }
        requests.onCompleted();
        if (!done.await(60, TimeUnit.SECONDS)) {
            return Status.DEADLINE_EXCEEDED.withDescription("timed out").asRuntimeException();
        }
        return failed.get();
    }

    private static CheckBatchRequest entry(String line) {
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
        return CheckBatchRequest.newBuilder().setEntryId(cells[0].strip()).setTraveler(key).build();
    }
}
