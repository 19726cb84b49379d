package db.audit;

import dev.tongxing.hub.audit.TravelerKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Replaces the audit store's index on the 64-character traveler pseudonym by one on a 64-bit
 * {@link TravelerKey}. The old index cost the embedded store most of its write time (each audited
 * answer inserts one entry; comparing CHAR(64) keys dominated), about 40 of 60 microseconds a
 * record. Java rather than SQL because the key is computed from the pseudonym, and the
 * hexadecimal-to-number conversion is written differently in H2 and PostgreSQL. Existing records
 * are filled in pages by primary key, so a large log is migrated in bounded memory.
 */
public class V1001__Traveler_key extends BaseJavaMigration {

    private static final int PAGE = 10_000;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("ALTER TABLE audit_record ADD COLUMN traveler_key BIGINT");
        }
        fillExistingRecords(connection);
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE INDEX audit_record_by_traveler_key ON audit_record (traveler_key, recorded_at_us)");
            ddl.execute("DROP INDEX audit_record_by_traveler");
        }
    }

    private static void fillExistingRecords(Connection connection) throws SQLException {
        String replica = "";
        long sequence = -1;
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT replica_id, sequence, traveler_pseudonym FROM audit_record
                WHERE (replica_id > ? OR (replica_id = ? AND sequence > ?)) AND traveler_pseudonym IS NOT NULL
                ORDER BY replica_id, sequence LIMIT %d""".formatted(PAGE));
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE audit_record SET traveler_key = ? WHERE replica_id = ? AND sequence = ?")) {
            while (true) {
                select.setString(1, replica);
                select.setString(2, replica);
                select.setLong(3, sequence);
                int rows = 0;
                try (ResultSet page = select.executeQuery()) {
                    while (page.next()) {
                        replica = page.getString(1);
                        sequence = page.getLong(2);
                        rows++;
                        Long key = TravelerKey.of(page.getString(3));
                        if (key != null) { // a pseudonym that is not hexadecimal keeps no key, as the column starts
                            update.setLong(1, key);
                            update.setString(2, replica);
                            update.setLong(3, sequence);
                            update.addBatch();
                        }
                    }
                }
                update.executeBatch();
                if (rows < PAGE) {
                    return;
                }
            }
        }
    }
}
