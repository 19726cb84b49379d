package dev.tongxing.hub.audit;

import com.zaxxer.hikari.HikariDataSource;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.hub.support.ScratchDirectories;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The audit log's parts over one database, without Spring: for tests that run several replicas on one store. */
final class AuditParts implements AutoCloseable {

    final JdbcTemplate jdbc;
    final AuditStore store;
    final AuditWriter writer;
    final ChainHeadSigner signer;
    final ChainVerifier verifier;

    AuditParts(DataSource dataSource, String replicaId, Clock clock) {
        this(dataSource, replicaId, clock, 1000);
    }

    AuditParts(DataSource dataSource, String replicaId, Clock clock, int maxBatch) {
        this(dataSource, replicaId, clock, maxBatch, List.of());
    }

    AuditParts(DataSource dataSource, String replicaId, Clock clock, int maxBatch, List<String> trustedKeys) {
        this(dataSource, replicaId, clock, maxBatch, trustedKeys, AuditProperties.Journal.OFF);
    }

    AuditParts(DataSource dataSource, String replicaId, Clock clock, int maxBatch, List<String> trustedKeys,
               AuditProperties.Journal journal) {
        this(dataSource, replicaId, clock, maxBatch, trustedKeys, journal, Duration.ZERO);
    }

    AuditParts(DataSource dataSource, String replicaId, Clock clock, int maxBatch, List<String> trustedKeys,
               AuditProperties.Journal journal, Duration groupWait) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.store = new AuditStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
        AuditProperties properties = new AuditProperties(replicaId, Duration.ofHours(1), "", Duration.ofDays(1), Duration.ofHours(1),
                100_000, maxBatch, groupWait, 500, trustedKeys, journal);
        this.writer = new AuditWriter(store, clock, properties);
        this.signer = new ChainHeadSigner(writer, store, clock, properties);
        this.verifier = new ChainVerifier(store, properties);
        writer.start();
    }

    /** A fresh, migrated embedded audit store, as the hub opens it by default. Close it after the parts. */
    static HikariDataSource embeddedDatabase() {
        return EmbeddedAuditStore.open(ScratchDirectories.create("audit-store").resolve("audit.db"));
    }

    static AuditEntry lookup(int n) {
        String pseudonym = String.format("%064x", n);
        return new AuditEntry(AuditRecord.Kind.LOOKUP, "tongxing.v1.TravelerStatusService/GetStatus",
                new AuditActor("checkpoint-" + (n % 3), List.of("checkpoint"), "61"), pseudonym, "王*", "61",
                List.of("shaanxi-ymt", "travel-card"), List.of("health_code=LIVE:shaanxi-ymt", "travel_card=CACHED:travel-card age=3s"),
                "health_code=GREEN travel_card=TRAVEL_GREEN", "PASS", "", "trace-" + n);
    }

    @Override
    public void close() {
        writer.stop();
    }
}
