package dev.tongxing.hub.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

/**
 * The audit log's embedded store: a SQLite file of its own, used when the hub's store is the
 * embedded H2 default. Not H2 as well, because the copier writes one record for every answered
 * call, and H2 spends about 40 µs of CPU on each (it encodes the row value by value and rewrites
 * its B-tree pages at commit) against SQLite's 12 (AuditStoreCostMeasurement, 5,000 records a
 * transaction, three indexes): at the cached path's rate that difference was a third of the hub's
 * CPU. Same migrations ({@code db/audit}) and the same SQL as PostgreSQL.
 *
 * <p>Write-ahead log, so queries and verification read while the copier writes; every commit
 * synced ({@code synchronous=FULL}), because without the audit journal a commit is what makes a
 * record durable before its answer; transactions take the write lock when they begin
 * ({@code IMMEDIATE}), so two writers queue for it (up to the busy timeout) instead of one failing
 * when it finds the other committed since it began reading.
 */
final class EmbeddedAuditStore {

    private static final int BUSY_TIMEOUT_MS = 10_000;
    /** The copier, a writer without the journal, the signer, retention and a query or two. */
    private static final int CONNECTIONS = 6;

    private EmbeddedAuditStore() {}

    /** Opens (creating it if need be) and migrates the store in {@code file}. Close it to release the file. */
    static HikariDataSource open(Path file) {
        HikariDataSource store = connect(file);
        try {
            Flyway.configure().dataSource(store).locations(AuditStorage.MIGRATIONS).load().migrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** The store's connections, as {@link #open} makes them, without migrating it. */
    static HikariDataSource connect(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the audit store's directory for " + file, e);
        }
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("audit-store");
        pool.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        pool.setDataSourceProperties(sqlite.toProperties());
        pool.setMaximumPoolSize(CONNECTIONS);
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(BUSY_TIMEOUT_MS);
        return new HikariDataSource(pool);
    }
}
