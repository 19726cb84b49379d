package dev.tongxing.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub's own account of its audit log ({@code /actuator/prometheus}): records and commits so
 * far, and how far the store is behind the journal. Read before and after a run, it says how many
 * records shared a commit; read until the backlog is gone, how long the store took to catch up
 * with what the run left journaled but not yet copied.
 */
record AuditProgress(double records, double commits, double copyBacklog) {

    private static final Pattern SAMPLE = Pattern.compile("^(tongxing_audit_records_total|tongxing_audit_commits_total|tongxing_audit_copy_backlog)"
            + "(?:\\{[^}]*})?\\s+(\\S+)", Pattern.MULTILINE);

    static AuditProgress read(int opsPort) throws IOException, InterruptedException {
        String body = LoopbackGet.hubMetrics(opsPort);
        double records = 0;
        double commits = 0;
        double backlog = 0;
        Matcher m = SAMPLE.matcher(body);
        while (m.find()) {
            double value = Double.parseDouble(m.group(2));
            switch (m.group(1)) {
                case "tongxing_audit_records_total" -> records = value;
                case "tongxing_audit_commits_total" -> commits = value;
                default -> backlog = value;
            }
        }
        return new AuditProgress(records, commits, backlog);
    }

    /** Records per commit between an earlier reading and this one. */
    double recordsPerCommitSince(AuditProgress earlier) {
        double commitsBetween = commits - earlier.commits;
        return commitsBetween <= 0 ? 0 : (records - earlier.records) / commitsBetween;
    }

    /** Polls until the store holds every journaled record; the time that took, or empty past {@code limit}. */
    static Optional<Duration> awaitCaughtUp(int opsPort, Duration limit) throws IOException, InterruptedException {
        long started = System.nanoTime();
        while (System.nanoTime() - started < limit.toNanos()) {
            if (read(opsPort).copyBacklog() <= 0) {
                return Optional.of(Duration.ofNanos(System.nanoTime() - started));
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }
}
