package dev.tongxing.cli;

import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.client.HubChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tongxing manifest FILE}: checks a train or flight manifest over {@code CheckBatch}.
 * Results are printed as they come (completion order), a progress bar and then a summary go to
 * standard error. Exit code 0 when every entry was answered, 1 when some were not (an entry
 * error, or the deadline passed first), 2 when the file is not a valid manifest or the call failed.
 *
 * <p>When the stream ends with UNAVAILABLE (a hub replica draining for an upgrade, or gone), the
 * entries already answered stay answered and the others are sent again on a new stream, which the
 * channel places on another replica; each entry is printed once.
 */
@Command(name = "manifest", description = {
        "Check a train or flight manifest (CSV: entry,document_type,number,phone,province).",
        "Entries whose province is at its capacity wait for it, up to --deadline.",
        "Exit code: 0 every entry answered, 1 some not answered, 2 bad file or failed call."})
final class ManifestCommand implements Callable<Integer> {

    static final List<String> CSV_HEADER = List.of("entry", "decision", "health", "health_provenance", "travel_card",
            "travel_card_provenance", "masked_name", "reasons", "error_code", "error_message");

    @ParentCommand
    TongxingCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    ManifestOptions options;

    /** Pause before resending, times the attempt: the load balancer and DNS catch up with a replica that left. */
    private static final long RESEND_PAUSE_MS = 200;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        List<ManifestFile.Entry> entries;
        try {
            entries = ManifestFile.read(options.file);
        } catch (ManifestFile.Invalid e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        // The token first: the time reported is the manifest's, not the identity provider's.
        io.grpc.CallCredentials credentials = cli.credentials();
        ManagedChannel channel = cli.channel();
        Summary summary = new Summary(entries.size());
        // Entries by id, in file order; an entry leaves once the hub has answered it.
        Map<String, CheckBatchRequest> unanswered = new LinkedHashMap<>();
        entries.forEach(entry -> unanswered.put(entry.entryId(),
                CheckBatchRequest.newBuilder().setEntryId(entry.entryId()).setTraveler(entry.traveler()).build()));
        long deadline = System.nanoTime() + options.deadline.toNanos();
        Status status;
        try (ResultOutput output = ResultOutput.open(options, spec.commandLine().getOut(), CSV_HEADER);
             ProgressBar bar = options.progress("manifest", entries.size())) {
            for (int attempt = 1; ; attempt++) {
                status = checkOnce(channel, credentials, unanswered, deadline, result -> {
                    summary.add(result);
                    output.write(result, tableLine(result), csvRow(result));
                    if (bar != null) {
                        bar.step();
                    }
                });
                boolean replicaWentAway = status.getCode() == Status.Code.UNAVAILABLE && !unanswered.isEmpty();
                if (!replicaWentAway || attempt >= HubChannels.MAX_ATTEMPTS || System.nanoTime() >= deadline) {
                    break;
                }
                // A hub replica drained or went away mid-stream: the entries it answered stay answered, the rest go on a new stream.
                err.println("hub unavailable (" + status.getDescription() + "); sending the " + unanswered.size()
                        + " entries without an answer on a new stream");
                err.flush();
                Thread.sleep(RESEND_PAUSE_MS * attempt);
            }
        } finally {
            TongxingCli.close(channel);
        }
        summary.print(err, status);
        if (!status.isOk()) {
            return 2;
        }
        return summary.allAnswered() ? 0 : 1;
    }

    /** One CheckBatch stream for the entries still unanswered; each answered entry leaves the map once. */
    private static Status checkOnce(ManagedChannel channel, io.grpc.CallCredentials credentials, Map<String, CheckBatchRequest> unanswered,
                                    long deadline, java.util.function.Consumer<CheckBatchResult> answered) throws InterruptedException {
        List<CheckBatchRequest> pending;
        synchronized (unanswered) {
            pending = List.copyOf(unanswered.values());
        }
        StreamedManifest<CheckBatchRequest, CheckBatchResult> stream = new StreamedManifest<>(pending.iterator(), result -> {
            synchronized (unanswered) {
                if (unanswered.remove(result.getEntryId()) == null) {
                    return;
                }
            }
            answered.accept(result);
        });
        TravelerStatusServiceGrpc.newStub(channel).withCallCredentials(credentials)
                .withDeadlineAfter(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).checkBatch(stream);
        try {
            return stream.closed().get();
        } catch (ExecutionException e) {
            return Status.fromThrowable(e.getCause());
        }
    }

    private static String tableLine(CheckBatchResult result) {
        if (result.hasError()) {
            return String.format("%-10s ERROR %s: %s", result.getEntryId(), result.getError().getCode(), result.getError().getMessage());
        }
        TravelerStatus status = result.getStatus();
        return String.format("%-10s %-15s health %-7s %-11s travel %-14s %-11s %s", result.getEntryId(),
                status.getVerdict().getDecision(), status.getHealthCode().getColour(), status.getHealthCode().getProvenance().getKind(),
                status.getTravelCard().getColour(), status.getTravelCard().getProvenance().getKind(),
                String.join("; ", status.getVerdict().getReasonsList()));
    }

    private static List<String> csvRow(CheckBatchResult result) {
        if (result.hasError()) {
            return List.of(result.getEntryId(), "", "", "", "", "", "", "", result.getError().getCode(), result.getError().getMessage());
        }
        TravelerStatus status = result.getStatus();
        return List.of(result.getEntryId(), status.getVerdict().getDecision().name(),
                status.getHealthCode().getColour().name(), status.getHealthCode().getProvenance().getKind().name(),
                status.getTravelCard().getColour().name(), status.getTravelCard().getProvenance().getKind().name(),
                status.getMaskedName(), String.join("; ", status.getVerdict().getReasonsList()), "", "");
    }

    /** Verdict counts, provenance mix and time, gathered as results arrive. */
    static final class Summary {
        private final int entries;
        private final long started = System.nanoTime();
        private final Map<String, Integer> verdicts = new TreeMap<>();
        private final Map<String, Integer> errors = new TreeMap<>();
        private final Map<Provenance.Kind, Integer> health = new EnumMap<>(Provenance.Kind.class);
        private final Map<Provenance.Kind, Integer> travel = new EnumMap<>(Provenance.Kind.class);
        private int answered;

        Summary(int entries) {
            this.entries = entries;
        }

        synchronized void add(CheckBatchResult result) {
            if (result.hasError()) {
                errors.merge(result.getError().getCode(), 1, Integer::sum);
                return;
            }
            answered++;
            TravelerStatus status = result.getStatus();
            verdicts.merge(status.getVerdict().getDecision().name(), 1, Integer::sum);
            health.merge(status.getHealthCode().getProvenance().getKind(), 1, Integer::sum);
            if (status.hasTravelCard()) {
                travel.merge(status.getTravelCard().getProvenance().getKind(), 1, Integer::sum);
            }
        }

        synchronized boolean allAnswered() {
            return answered == entries;
        }

        synchronized void print(PrintWriter err, Status status) {
            double seconds = (System.nanoTime() - started) / 1e9;
            int unanswered = entries - answered - errors.values().stream().mapToInt(Integer::intValue).sum();
            err.printf("Manifest   %d entries: %d answered, %d entry errors, %d without a result, in %.1f s (%.0f entries/s)%n",
                    entries, answered, entries - answered - unanswered, unanswered, seconds, answered / Math.max(seconds, 1e-3));
            err.println("Verdicts   " + counts(verdicts));
            err.println("Health     " + counts(health));
            err.println("Travel     " + counts(travel));
            if (!errors.isEmpty()) {
                err.println("Errors     " + counts(errors));
            }
            if (!status.isOk()) {
                err.println("The stream ended early: " + status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()));
            }
            err.flush();
        }

        static String counts(Map<?, Integer> counts) {
            if (counts.isEmpty()) {
                return "-";
            }
            StringBuilder line = new StringBuilder();
            counts.forEach((name, count) -> line.append(line.isEmpty() ? "" : "  ").append(name).append(' ').append(count));
            return line.toString();
        }
    }
}
