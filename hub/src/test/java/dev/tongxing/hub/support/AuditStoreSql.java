package dev.tongxing.hub.support;

import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * SQL on a running hub's embedded audit store, from outside the hub, as an operator (or an
 * attacker) with the file would: to read what is stored, or to break the store under the hub.
 */
public final class AuditStoreSql {

    private AuditStoreSql() {}

    /** Connections of its own (one a statement) to the file named by {@code tongxing.audit.embedded-store}. */
    public static JdbcTemplate of(Environment hub) {
        String file = hub.getRequiredProperty("tongxing.audit.embedded-store");
        return new JdbcTemplate(new DriverManagerDataSource("jdbc:sqlite:" + file));
    }
}
