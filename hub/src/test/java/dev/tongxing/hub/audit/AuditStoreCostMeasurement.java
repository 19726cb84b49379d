package dev.tongxing.hub.audit;

import com.zaxxer.hikari.HikariDataSource;
import dev.tongxing.api.v1.AuditRecord;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Not a test: what one audit record costs the embedded store's copier, in CPU microseconds, as
 * the copier writes it (batches of journaled rows, one transaction each) into a store already
 * holding {@code prefill} records. Run with {@code -Dtongxing.measure=true
 * -Dtest=AuditStoreCostMeasurement}; {@code -Dtongxing.measure.batch}, {@code .prefill},
 * {@code .rows}, {@code .url} (a JDBC URL to measure instead of the embedded store, e.g. an H2
 * file, with a %s for a fresh directory) and {@code .ddl} (statements run after the migrations,
 * ';'-separated, e.g. dropping an index to see its share) vary it. Results go to the class's
 * surefire output file. What it showed: docs/architecture.md, "Audit".
 */
@EnabledIfSystemProperty(named = "tongxing.measure", matches = "true")
class AuditStoreCostMeasurement {

    static final HexFormat HEX = HexFormat.of();

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HEX.formatHex(b);
    }

    static AuditRow row(long seq, long micros) {
        return new AuditRow("hub-measure", seq, AuditRecord.Kind.LOOKUP, micros, "tongxing.v1.TravelerStatusService/GetStatus",
                "bench-load", List.of("checkpoint"), "61", hex(32), "王*", hex(16), hex(32), "61",
                List.of("shaanxi-ymt", "travel-card"), List.of("health_code=CACHED:shaanxi-ymt age=3s", "travel_card=CACHED:travel-card age=3s"),
                "health_code=GREEN travel_card=TRAVEL_GREEN", "PASS", "", hex(16), hex(32), hex(32));
    }

    @Test
    void measure() throws Exception {
        String url = System.getProperty("tongxing.measure.url", "");
        int batch = Integer.getInteger("tongxing.measure.batch", 5000);
        int prefill = Integer.getInteger("tongxing.measure.prefill", 300_000);
        int measured = Integer.getInteger("tongxing.measure.rows", 100_000);
        Path dir = Files.createTempDirectory("audit-store-cost");
        HikariDataSource database;
        if (url.isEmpty()) {
            database = EmbeddedAuditStore.open(dir.resolve("audit.db"));
        } else {
            database = new HikariDataSource();
            database.setJdbcUrl(url.formatted(dir));
            AuditStorage.migrate(database);
        }
        JdbcTemplate jdbc = new JdbcTemplate(database);
        for (String ddl : System.getProperty("tongxing.measure.ddl", "").split(";")) {
            if (!ddl.isBlank()) {
                jdbc.execute(ddl);
            }
        }
        AuditStore store = new AuditStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(database)));
        long micros = System.currentTimeMillis() * 1000;
        for (int done = 0; done < prefill; done += batch) {
            store.append(rows(done + 1, Math.min(batch, prefill - done), micros));
        }
        var threads = ManagementFactory.getThreadMXBean();
        // Made before measuring: only the copier's work is timed.
        List<List<AuditRow>> batches = new ArrayList<>();
        for (int done = 0; done < measured; done += batch) {
            batches.add(rows(prefill + done + 1, Math.min(batch, measured - done), micros));
        }
        long cpu = threads.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        for (List<AuditRow> pending : batches) {
            store.append(pending);
        }
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        wall = System.nanoTime() - wall;
        System.out.printf("audit store cost: batch=%d prefill=%d url=%s ddl=%s: %.1f us cpu/row, %.1f us wall/row%n", batch, prefill, url.isEmpty() ? "embedded" : url,
                System.getProperty("tongxing.measure.ddl", ""), cpu / 1000.0 / measured, wall / 1000.0 / measured);
        database.close();
    }

    /** {@code count} rows from sequence {@code first} on, one microsecond apart. */
    private static List<AuditRow> rows(long first, int count, long micros) {
        List<AuditRow> rows = new ArrayList<>(count);
        for (long seq = first; seq < first + count; seq++) {
            rows.add(row(seq, micros + seq));
        }
        return rows;
    }
}
