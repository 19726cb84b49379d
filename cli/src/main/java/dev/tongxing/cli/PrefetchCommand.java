package dev.tongxing.cli;

import dev.tongxing.api.v1.PrefetchEntry;
import dev.tongxing.api.v1.PrefetchResult;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * {@code tongxing prefetch FILE}: warms the hub's cache for a manifest ahead of departure over
 * {@code PrefetchManifest}, so that {@code tongxing manifest FILE} at arrival is answered CACHED.
 * The table lists only the entries that could not be fetched, and why; CSV and JSON lines list
 * every entry. Exit code 0 when every entry was warmed, 1 when some were not, 2 when the file is
 * not a valid manifest or the call failed.
 */
@Command(name = "prefetch", description = {
        "Warm the hub's cache for a manifest ahead of departure (same CSV as manifest).",
        "The hub asks provinces only from their spare capacity; run it within the cache's fresh-for of arrival.",
        "Exit code: 0 every entry warmed, 1 some not fetched, 2 bad file or failed call."})
final class PrefetchCommand implements Callable<Integer> {

    static final List<String> CSV_HEADER = List.of("entry", "outcome", "reasons", "error_code", "error_message");

    @ParentCommand
    TongxingCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    ManifestOptions options;

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
        Status status;
        try (ResultOutput output = ResultOutput.open(options, spec.commandLine().getOut(), CSV_HEADER);
             ProgressBar bar = options.progress("prefetch", entries.size())) {
            StreamedManifest<PrefetchEntry, PrefetchResult> stream = new StreamedManifest<>(
                    entries.stream().map(entry -> PrefetchEntry.newBuilder().setEntryId(entry.entryId()).setTraveler(entry.traveler()).build()).iterator(),
                    result -> {
                        summary.add(result);
                        output.write(result, tableLine(result), List.of(result.getEntryId(), result.getOutcome().name(),
                                String.join("; ", result.getReasonsList()), result.getError().getCode(), result.getError().getMessage()));
                        if (bar != null) {
                            bar.step();
                        }
                    });
            TravelerStatusServiceGrpc.newStub(channel).withCallCredentials(credentials)
                    .withDeadlineAfter(options.deadline.toMillis(), TimeUnit.MILLISECONDS).prefetchManifest(stream);
            status = stream.closed().get();
        } catch (ExecutionException e) {
            status = Status.fromThrowable(e.getCause());
        } finally {
            TongxingCli.close(channel);
        }
        summary.print(err, status);
        if (!status.isOk()) {
            return 2;
        }
        return summary.allWarm() ? 0 : 1;
    }

    /** Only what could not be warmed goes in the table: that is what staff must act on. */
    private static String tableLine(PrefetchResult result) {
        return switch (result.getOutcome()) {
            case NOT_FETCHED -> String.format("%-10s NOT_FETCHED %s", result.getEntryId(), String.join("; ", result.getReasonsList()));
            case REFUSED -> String.format("%-10s REFUSED %s: %s", result.getEntryId(), result.getError().getCode(), result.getError().getMessage());
            default -> null;
        };
    }

    /** Outcome counts, the reasons entries were not fetched, and time. */
    static final class Summary {
        private final int entries;
        private final long started = System.nanoTime();
        private final Map<PrefetchResult.Outcome, Integer> outcomes = new EnumMap<>(PrefetchResult.Outcome.class);
        private final Map<String, Integer> reasons = new LinkedHashMap<>();

        Summary(int entries) {
            this.entries = entries;
        }

        synchronized void add(PrefetchResult result) {
            outcomes.merge(result.getOutcome(), 1, Integer::sum);
            result.getReasonsList().forEach(reason -> reasons.merge(reason, 1, Integer::sum));
        }

        synchronized boolean allWarm() {
            return outcomes.getOrDefault(PrefetchResult.Outcome.WARMED, 0) + outcomes.getOrDefault(PrefetchResult.Outcome.ALREADY_CACHED, 0) == entries;
        }

        synchronized void print(PrintWriter err, Status status) {
            double seconds = (System.nanoTime() - started) / 1e9;
            int done = outcomes.values().stream().mapToInt(Integer::intValue).sum();
            err.printf("Prefetch   %d entries, %d done, %d without a result, in %.1f s (%.0f entries/s)%n",
                    entries, done, entries - done, seconds, done / Math.max(seconds, 1e-3));
            err.println("Outcomes   " + ManifestCommand.Summary.counts(outcomes));
            reasons.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
                    .forEach(reason -> err.printf("Not fetched %5d  %s%n", reason.getValue(), reason.getKey()));
            if (!status.isOk()) {
                err.println("The stream ended early: " + status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()));
            }
            err.flush();
        }
    }
}
