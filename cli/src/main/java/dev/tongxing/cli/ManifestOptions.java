package dev.tongxing.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What the manifest and prefetch commands share: the file, the deadline, where results go, progress. */
final class ManifestOptions {

    /** How results are written. */
    enum Format { TABLE, CSV, JSONL }

    @Parameters(index = "0", paramLabel = "FILE",
            description = "manifest CSV: entry,document_type,number,phone,province (phone and province may be empty)")
    Path file;

    @Option(names = "--deadline", defaultValue = "10m", converter = DurationConverter.class,
            description = "how long the whole manifest may take, e.g. 90s, 10m, 2h (default: ${DEFAULT-VALUE}); "
                    + "entries waiting for a province's capacity wait at most this long")
    Duration deadline;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write results to this file instead of standard output")
    Path output;

    @Option(names = "--format", defaultValue = "TABLE", description = "TABLE, CSV or JSONL (default: ${DEFAULT-VALUE}; JSONL is the contract's JSON mapping, one result a line)")
    Format format;

    @Option(names = "--no-progress", description = "no progress bar on standard error")
    boolean noProgress;

    /** A progress bar on standard error, or none. */
    ProgressBar progress(String task, long entries) {
        if (noProgress) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(entries).setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
    }

    /** {@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h} or an ISO-8601 duration ({@code PT10M}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            try {
                if (text.startsWith("pt")) {
                    return positive(Duration.parse(text.toUpperCase(Locale.ROOT)), value);
                }
                if (text.endsWith("ms")) {
                    return positive(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))), value);
                }
                long amount = Long.parseLong(text.substring(0, text.length() - 1));
                return positive(switch (text.charAt(text.length() - 1)) {
                    case 's' -> Duration.ofSeconds(amount);
                    case 'm' -> Duration.ofMinutes(amount);
                    case 'h' -> Duration.ofHours(amount);
                    default -> throw new NumberFormatException();
                }, value);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 500ms, 90s, 10m or 2h");
            }
        }

        private static Duration positive(Duration duration, String value) {
            if (duration.isNegative() || duration.isZero()) {
                throw new CommandLine.TypeConversionException("'" + value + "' must be more than zero");
            }
            return duration;
        }
    }
}
