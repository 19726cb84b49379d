package dev.tongxing.hub.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The audit log's embedded store: a SQLite file of its own, used when the hub's store is the
 * embedded H2 default. Not H2 as well, because the copier writes one record for every answered
 * call, and H2 spends about 46 µs of CPU on each (it encodes the row value by value and rewrites
 * its B-tree pages at commit) against SQLite's 7 (AuditStoreCostMeasurement, 5,000 records a
 * transaction into a store of 100,000, three indexes): at the cached path's rate that difference
 * was a third of the hub's CPU. Same migrations ({@code db/audit}) and the same SQL as PostgreSQL.
 *
 * <p>Write-ahead log, so queries and verification read while the copier writes; every commit
 * synced ({@code synchronous=FULL}), because without the audit journal a commit is what makes a
 * record durable before its answer; transactions take the write lock when they begin
 * ({@code IMMEDIATE}), so two writers queue for it (up to the busy timeout) instead of one failing
 * when it finds the other committed since it began reading.
 */
final class EmbeddedAuditStore {

    private static final int BUSY_TIMEOUT_MS = 10_000;
    /** The copier, a writer without the journal, the signer or retention, and a query. */
    private static final int CONNECTIONS = 4;
    /**
     * Pages of 16 KB and a cache of 32 MB a connection (native memory, not heap): the traveler
     * index takes its entries in random order, and with SQLite's defaults (4 KB, 2 MB) a store of
     * 300,000 records cost the copier 24 µs of CPU a record and 82 µs of waiting for the disk;
     * with these, 8.4 and 10.5 (16.6 and 25 at a million records).
     */
    private static final int PAGE_BYTES = 16_384;
    private static final int CACHE_KIB = 32_000;

    private EmbeddedAuditStore() {}

    /** Opens (creating it if need be) and migrates the store in {@code file}. Close it to release the file. */
    static HikariDataSource open(Path file) {
        HikariDataSource store = connect(file);
        try {
            AuditStorage.migrate(store);
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
        sqlite.setCacheSize(-CACHE_KIB);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        createWithLargePages(file);
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("audit-store");
        SQLiteDataSource connections = new SQLiteDataSource(sqlite);
        connections.setUrl(url(file));
        pool.setDataSource(connections);
        pool.setMaximumPoolSize(CONNECTIONS);
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(BUSY_TIMEOUT_MS);
        return new HikariDataSource(pool);
    }

    /**
     * A new file gets its page size before anything else: the first write (turning the write-ahead
     * log on is one) fixes it, and a store in that mode keeps it. The write-ahead log belongs to the
     * file as well, so every connection finds it on. On an existing file, a no-op.
     */
    private static void createWithLargePages(Path file) {
        SQLiteDataSource plain = new SQLiteDataSource();
        plain.setUrl(url(file));
        try (Connection connection = plain.getConnection(); Statement pragma = connection.createStatement()) {
            pragma.execute("PRAGMA page_size = " + PAGE_BYTES);
            pragma.execute("PRAGMA journal_mode = WAL");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the audit store " + file, e);
        }
    }

    private static String url(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }
}
