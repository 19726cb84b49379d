package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tongxing.localpostgres.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Migration 1001 on a log written before it: every stored record gets the traveler key of its
 * pseudonym (none for a record without one), the old CHAR(64) index goes, and QueryAudit by
 * traveler finds old and new records alike, on the embedded store and on a real PostgreSQL.
 */
class TravelerKeyMigrationTest {

    /** Two travelers whose pseudonyms share the first 64 bits: the key alone would mix them up. */
    static final String ALICE = "0123456789abcdef" + "a".repeat(48);
    static final String BOB = "0123456789abcdef" + "b".repeat(48);

    @Test
    void embeddedStore(@TempDir Path dir) throws SQLException {
        try (HikariDataSource store = EmbeddedAuditStore.connect(dir.resolve("audit.db"))) {
            migrateAndQuery(store);
        }
    }

    @Test
    void postgres() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start()) {
            migrateAndQuery(postgres.newDatabase("traveler_key_migration"));
        }
    }

    private static void migrateAndQuery(DataSource database) throws SQLException {
        flyway(database).target("1000").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(database);
        insertAsBefore(jdbc, 1, ALICE);
        insertAsBefore(jdbc, 2, BOB);
        insertAsBefore(jdbc, 3, null);
        insertAsBefore(jdbc, 4, ALICE);

        flyway(database).load().migrate();

        assertThat(jdbc.queryForList("SELECT traveler_key FROM audit_record ORDER BY sequence", Long.class))
                .containsExactly(0x0123456789abcdefL, 0x0123456789abcdefL, null, 0x0123456789abcdefL);
        assertThat(indexes(database)).contains("audit_record_by_traveler_key").doesNotContain("audit_record_by_traveler");

        try (AuditParts parts = new AuditParts(database, "hub-new", Clock.systemUTC())) {
            AuditStore store = parts.store;
            AuditRow written = parts.writer.append(entryFor(ALICE)).join();
            assertThat(jdbc.queryForObject("SELECT traveler_key FROM audit_record WHERE replica_id = 'hub-new'", Long.class))
                    .isEqualTo(0x0123456789abcdefL);
            assertThat(store.page(byTraveler(ALICE), null, 100)).extracting(row -> row.replicaId() + ":" + row.sequence())
                    .containsExactly("hub-old:1", "hub-old:4", "hub-new:" + written.sequence());
            assertThat(store.page(byTraveler(BOB), null, 100)).extracting(AuditRow::sequence).containsExactly(2L);
        }
    }

    /** Index names of audit_record, lower case (whatever case the database keeps them in). */
    private static Set<String> indexes(DataSource database) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Connection connection = database.getConnection()) {
            for (String table : List.of("AUDIT_RECORD", "audit_record")) {
                try (ResultSet index = connection.getMetaData().getIndexInfo(null, null, table, false, false)) {
                    while (index.next()) {
                        if (index.getString("INDEX_NAME") != null) {
                            names.add(index.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
        }
        return names;
    }

    private static FluentConfiguration flyway(DataSource database) {
        return Flyway.configure().dataSource(database).locations(AuditStorage.MIGRATIONS);
    }

    private static AuditFilter byTraveler(String pseudonym) {
        return new AuditFilter(Optional.empty(), Optional.empty(), pseudonym, Optional.empty(), "", "", "", "");
    }

    private static AuditEntry entryFor(String pseudonym) {
        AuditEntry template = AuditParts.lookup(7);
        return new AuditEntry(template.kind(), template.method(), template.actor(), pseudonym, template.maskedName(),
                template.travelerProvince(), template.sources(), template.provenance(), template.summary(), template.verdict(),
                template.reason(), template.traceId());
    }

    /** A row as the hub wrote it under migration 1000 (no traveler key); its chain does not matter here. */
    private static void insertAsBefore(JdbcTemplate jdbc, long sequence, String pseudonym) {
        jdbc.update("""
                INSERT INTO audit_record (replica_id, sequence, kind, recorded_at_us, method, actor, caller_roles, caller_province,
                    traveler_pseudonym, masked_name, personal_salt, personal_digest, traveler_province, sources, provenance, summary,
                    verdict, reason, trace_id, previous_hash, hash)
                VALUES ('hub-old', ?, 'LOOKUP', ?, 'tongxing.v1.TravelerStatusService/GetStatus', 'gate-1', 'checkpoint', '61',
                    ?, NULL, NULL, ?, '61', 'shaanxi-ymt', 'health_code=LIVE:shaanxi-ymt age=0s', 'health_code=GREEN', 'PASS', '', ?, ?, ?)""",
                sequence, 1_763_900_000_000_000L + sequence, pseudonym, "d".repeat(64), "%032d".formatted(sequence), "c".repeat(64), "e".repeat(64));
    }
}
