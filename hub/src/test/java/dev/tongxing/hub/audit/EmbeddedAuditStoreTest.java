package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The embedded audit store is opened as its cost was measured, and keeps its settings when reopened. */
class EmbeddedAuditStoreTest {

    @Test
    void aNewStoreHasLargePagesAWriteAheadLogAndSyncedCommitsAndKeepsThemWhenReopened(@TempDir Path dir) {
        Path file = dir.resolve("audit.db");
        for (int opening = 0; opening < 2; opening++) {
            try (HikariDataSource store = EmbeddedAuditStore.open(file)) {
                JdbcTemplate sql = new JdbcTemplate(store);
                assertThat(sql.queryForObject("PRAGMA page_size", Integer.class)).isEqualTo(16_384);
                assertThat(sql.queryForObject("PRAGMA journal_mode", String.class)).isEqualToIgnoringCase("wal");
                assertThat(sql.queryForObject("PRAGMA synchronous", Integer.class)).as("2 = FULL").isEqualTo(2);
                assertThat(sql.queryForObject("PRAGMA cache_size", Integer.class)).isEqualTo(-32_000);
                assertThat(sql.queryForObject("SELECT COUNT(*) FROM audit_record", Integer.class)).isZero();
            }
        }
    }
}
