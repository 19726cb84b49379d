package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's own migrations leave the audit log out only where the log has a store of its own. */
class AuditStorageTest {

    static final String EXCHANGE = "classpath:db/exchange";

    @Test
    void besideEmbeddedH2TheHubsStoreIsMigratedWithoutTheAuditLogAndAnOlderFileThatHeldItStillStarts(@TempDir Path dir) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + dir.resolve("exchange"));
        // A store from before the log had its own: both histories in one.
        Flyway.configure().dataSource(h2).locations(EXCHANGE, AuditStorage.MIGRATIONS).load().migrate();

        FluentConfiguration hub = Flyway.configure().dataSource(h2).locations(EXCHANGE, AuditStorage.MIGRATIONS);
        new AuditStorage("jdbc:h2:file:" + dir.resolve("exchange")).auditMigrationsInTheirOwnStore().customize(hub);

        assertThat(hub.getLocations()).containsExactly(new Location(EXCHANGE));
        assertThatCode(() -> hub.load().migrate()).as("audit versions applied earlier are not 'missing'").doesNotThrowAnyException();
    }

    @Test
    void withPostgresTheLogSharesTheHubsStoreAndItsMigrations() {
        FluentConfiguration hub = Flyway.configure().locations(EXCHANGE, AuditStorage.MIGRATIONS);
        new AuditStorage("jdbc:postgresql://127.0.0.1:5432/tongxing").auditMigrationsInTheirOwnStore().customize(hub);

        assertThat(hub.getLocations()).containsExactlyInAnyOrder(new Location(EXCHANGE), new Location(AuditStorage.MIGRATIONS));
    }
}
