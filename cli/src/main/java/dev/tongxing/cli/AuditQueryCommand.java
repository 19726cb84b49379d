package dev.tongxing.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.v1.AuditQuery;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.AuditServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tongxing audit query}: streams matching records, oldest first, as a table or (with
 * {@code --json}) one JSON object a line. Records are printed as they arrive, so a result of any
 * size runs in constant memory; progress goes to stderr every {@value #PROGRESS_EVERY} records.
 */
@Command(name = "query", description = "Stream audit records, oldest first.")
final class AuditQueryCommand implements Callable<Integer> {

    static final int PROGRESS_EVERY = 10_000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @ParentCommand
    AuditCommand audit;

    @Spec
    CommandSpec spec;

    /** Only records about this traveler; the hub derives the pseudonym. */
    @ArgGroup(exclusive = false, multiplicity = "0..1")
    KeyOptions traveler;

    @Option(names = "--from", description = "records at or after this instant (ISO-8601, e.g. 2026-11-23T08:00:00Z)")
    String from;

    @Option(names = "--to", description = "records before this instant (ISO-8601)")
    String to;

    @Option(names = "--kind", description = "LOOKUP, CODE_VERIFICATION, BATCH_ENTRY, PREFETCH_ENTRY, STATUS_CHANGE or REFUSAL")
    AuditRecord.Kind kind;

    @Option(names = "--actor", description = "caller client id, or 'unauthenticated'")
    String actor;

    @Option(names = "--caller-province", description = "GB/T 2260 code of the caller's province")
    String callerProvince;

    @Option(names = "--source", description = "source id consulted, e.g. shaanxi-ymt")
    String source;

    @Option(names = "--verdict", description = "PASS, CHECK_MANUALLY, STOP; APPLIED, DUPLICATE, SUPERSEDED, REJECTED; or a status code")
    String verdict;

    @Option(names = "--pseudonym", description = "traveler pseudonym from an earlier record")
    String pseudonym;

    @Option(names = "--page-size", defaultValue = "0", description = "stop after this many records (0: all); resume with --page-token")
    int pageSize;

    @Option(names = "--page-token", description = "resume after the record that carried this next_page_token")
    String pageToken;

    @Override
    public Integer call() {
        TongxingCli cli = audit.cli;
        AuditQuery query = query();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ManagedChannel channel = cli.channel();
        long count = 0;
        String lastToken = "";
        try {
            // No deadline: a long result streams for as long as the reader keeps reading.
            Iterator<AuditRecord> records = AuditServiceGrpc.newBlockingStub(channel).withCallCredentials(cli.credentials()).queryAudit(query);
            if (!cli.json) {
                out.printf("%-23s %-24s %-17s %-24s %-16s %-14s %-24s %s%n", "TIME", "REPLICA:SEQ", "KIND", "ACTOR", "VERDICT",
                        "TRAVELER", "SOURCES", "SUMMARY / REASON");
            }
            while (records.hasNext()) {
                AuditRecord record = records.next();
                print(record, cli.json, out);
                lastToken = record.getNextPageToken();
                if (++count % PROGRESS_EVERY == 0) {
                    out.flush();
                    err.println(count + " records...");
                    err.flush();
                }
            }
            out.flush();
            err.println(count + " record(s)" + (pageSize > 0 && count == pageSize ? "; more with --page-token " + lastToken : ""));
            err.flush();
            return 0;
        } catch (StatusRuntimeException e) {
            out.flush();
            err.println(e.getStatus().getCode() + ": " + e.getStatus().getDescription()
                    + (lastToken.isEmpty() ? "" : " (after " + count + " record(s); resume with --page-token " + lastToken + ")"));
            err.flush();
            return 2;
        } finally {
            TongxingCli.close(channel);
        }
    }

    private AuditQuery query() {
        AuditQuery.Builder query = AuditQuery.newBuilder().setPageSize(pageSize);
        if (from != null) {
            query.setFrom(Timestamps.fromMillis(instant(from, "--from").toEpochMilli()));
        }
        if (to != null) {
            query.setTo(Timestamps.fromMillis(instant(to, "--to").toEpochMilli()));
        }
        if (traveler != null) {
            query.setTraveler(traveler.toKey());
        }
        if (kind != null) {
            query.setKind(kind);
        }
        if (actor != null) {
            query.setActor(actor);
        }
        if (callerProvince != null) {
            query.setCallerProvince(callerProvince);
        }
        if (source != null) {
            query.setSourceId(source);
        }
        if (verdict != null) {
            query.setVerdict(verdict);
        }
        if (pseudonym != null) {
            query.setTravelerPseudonym(pseudonym);
        }
        if (pageToken != null) {
            query.setPageToken(pageToken);
        }
        return query.build();
    }

    private Instant instant(String text, String option) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be an ISO-8601 instant such as 2026-11-23T08:00:00Z");
        }
    }

    static void print(AuditRecord record, boolean json, PrintWriter out) {
        if (json) {
            try {
                out.println(JsonFormat.printer().omittingInsignificantWhitespace().print(record));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("record cannot be printed as JSON", e);
            }
            return;
        }
        String traveler = record.getTravelerPseudonym().isEmpty() ? "-" : record.getTravelerPseudonym().substring(0, 12) + "..";
        String detail = record.getSummary().isEmpty() ? record.getReason()
                : record.getReason().isEmpty() ? record.getSummary() : record.getSummary() + " | " + record.getReason();
        out.printf("%-23s %-24s %-17s %-24s %-16s %-14s %-24s %s%n",
                TIME.format(Instant.ofEpochSecond(record.getAt().getSeconds(), record.getAt().getNanos())),
                record.getReplicaId() + ":" + record.getSequence(), record.getKind(), record.getActor(), record.getVerdict(),
                traveler, String.join(",", record.getSourcesList()), detail);
    }
}
