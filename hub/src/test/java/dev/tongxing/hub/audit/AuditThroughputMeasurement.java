package dev.tongxing.hub.audit;

import dev.tongxing.localpostgres.LocalPostgres;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: measures audit write throughput, with group commit and without (one record per
 * transaction), on the hub's default embedded store (without its journal) and on PostgreSQL. Callers behave like
 * answers: each waits for its record before writing the next. Run on a quiet machine with
 * {@code -Dtongxing.measure=true -Dtest=AuditThroughputMeasurement}; results go to stdout.
 */
@EnabledIfSystemProperty(named = "tongxing.measure", matches = "true")
class AuditThroughputMeasurement {

    static final int CALLERS = 64;
    static final int RECORDS = Integer.getInteger("tongxing.measure.records", 10_000);

    @Test
    void measure() throws Exception {
        try (HikariDataSource embedded = EmbeddedAuditStore.open(Files.createTempDirectory("audit-measure").resolve("audit.db"))) {
            run("embedded store", embedded, 1000);
            run("embedded store, no group commit", embedded, 1);
        }
        System.out.flush();
        try (LocalPostgres postgres = LocalPostgres.start(true)) {
            HikariDataSource pg = new HikariDataSource();
            pg.setDataSource(postgres.newDatabase("audit_measure"));
            pg.setMaximumPoolSize(8);
            AuditStorage.migrate(pg);
            run("PostgreSQL", pg, 1000);
            run("PostgreSQL, no group commit", pg, 1);
        }
    }

    private static void run(String name, DataSource store, int maxBatch) throws Exception {
        AuditParts parts = new AuditParts(store, "measure-" + maxBatch + "-" + System.nanoTime(), Clock.systemUTC(), maxBatch);
        try (ExecutorService callers = Executors.newFixedThreadPool(CALLERS)) {
            // Warm up, then measure.
            write(parts, callers, RECORDS / 10);
            long commitsBefore = parts.writer.commits();
            long recordsBefore = parts.writer.recorded();
            long start = System.nanoTime();
            write(parts, callers, RECORDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            long records = parts.writer.recorded() - recordsBefore;
            long commits = parts.writer.commits() - commitsBefore;
            System.out.printf("%-30s %,8d records in %6d ms: %,9.0f records/s, %6.1f records per commit%n",
                    name, records, took.toMillis(), records / (took.toNanos() / 1e9), (double) records / commits);
        } finally {
            parts.close();
        }
    }

    private static void write(AuditParts parts, ExecutorService callers, int total) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            int caller = c;
            done.add(callers.submit(() -> {
                for (int i = caller; i < total; i += CALLERS) {
                    parts.writer.append(AuditParts.lookup(i)).join();
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
    }
}
