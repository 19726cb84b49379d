package dev.tongxing.hub.audit;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.pattern.ValidatePattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where the audit log is stored: in the hub's own store ({@code spring.datasource}, PostgreSQL in
 * production, where replicas share it and each writes its chain), except beside the embedded H2
 * default, where it gets an embedded SQLite file of its own ({@code tongxing.audit.embedded-store};
 * why: {@link EmbeddedAuditStore}). The hub's own Flyway then leaves out the audit migrations.
 */
@Configuration(proxyBeanMethods = false)
class AuditStorage {

    static final String MIGRATIONS = "classpath:db/audit";

    /** Brings a store of the log's own up to this build's schema (the hub's Flyway migrates a shared one). */
    static void migrate(DataSource store) {
        Flyway.configure().dataSource(store).locations(MIGRATIONS).load().migrate();
    }

    private final boolean ownStore;

    AuditStorage(@Value("${spring.datasource.url:}") String hubStoreUrl) {
        this.ownStore = hubStoreUrl.startsWith("jdbc:h2:");
    }

    @Bean
    AuditStore auditStore(JdbcTemplate hubStore, TransactionTemplate hubTransactions,
                          @Value("${tongxing.audit.embedded-store}") Path file) {
        if (!ownStore) {
            return new AuditStore(hubStore, hubTransactions);
        }
        HikariDataSource store = EmbeddedAuditStore.open(file);
        return new AuditStore(new JdbcTemplate(store), new TransactionTemplate(new DataSourceTransactionManager(store)), store);
    }

    /**
     * With a store of its own, the audit migrations are not run on the hub's store. An H2 file from
     * a run that still kept the log there names them in its history; they are not missing there.
     */
    @Bean
    FlywayConfigurationCustomizer auditMigrationsInTheirOwnStore() {
        return flyway -> {
            if (ownStore) {
                flyway.locations(Arrays.stream(flyway.getLocations()).filter(location -> !isAudit(location)).toArray(Location[]::new))
                        .ignoreMigrationPatterns(Stream.concat(Arrays.stream(flyway.getIgnoreMigrationPatterns()),
                                Stream.of(ValidatePattern.fromPattern("*:missing"))).toArray(ValidatePattern[]::new));
            }
        };
    }

    private static boolean isAudit(Location location) {
        return location.equals(new Location(MIGRATIONS));
    }
}
