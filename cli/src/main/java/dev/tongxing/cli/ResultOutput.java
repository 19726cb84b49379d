package dev.tongxing.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Where a manifest's results go, one per entry as they arrive: standard output or a file, as a
 * table for people, CSV for spreadsheets or JSON lines (the contract's JSON mapping) for programs.
 */
final class ResultOutput implements AutoCloseable {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    private final ManifestOptions.Format format;
    private final PrintWriter writer;
    private final boolean ownsWriter;
    private final CSVPrinter csv;

    private ResultOutput(ManifestOptions.Format format, PrintWriter writer, boolean ownsWriter, List<String> csvHeader) throws IOException {
        this.format = format;
        this.writer = writer;
        this.ownsWriter = ownsWriter;
        this.csv = format == ManifestOptions.Format.CSV
                ? new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(csvHeader.toArray(String[]::new)).get())
                : null;
    }

    static ResultOutput open(ManifestOptions options, PrintWriter stdout, List<String> csvHeader) throws IOException {
        if (options.output == null) {
            return new ResultOutput(options.format, stdout, false, csvHeader);
        }
        PrintWriter file = new PrintWriter(Files.newBufferedWriter(options.output, StandardCharsets.UTF_8));
        return new ResultOutput(options.format, file, true, csvHeader);
    }

    /**
     * Writes one result in the chosen format.
     *
     * @param table its line in the table, or null to leave it out of the table
     * @param row   its CSV cells, in the header's order
     */
    synchronized void write(MessageOrBuilder result, String table, List<?> row) {
        try {
            switch (format) {
                case TABLE -> {
                    if (table != null) {
                        writer.println(table);
                    }
                }
                case CSV -> csv.printRecord(row);
                case JSONL -> writer.println(JSON.print(result));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (csv != null) {
            csv.flush();
        }
        writer.flush();
        if (ownsWriter) {
            writer.close();
        }
    }
}
