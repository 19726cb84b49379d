package dev.tongxing.hub.exchange;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Assembles the exchange's store: SQL over {@code spring.datasource}, migrated by Flyway. Moving to
 * PostgreSQL is configuration only (a {@code spring.datasource.url} and the PostgreSQL JDBC driver
 * and Flyway module on the class path); a store of another kind is a new {@link AppliedChangeStore}
 * returned here.
 */
@Configuration(proxyBeanMethods = false)
class ExchangeConfiguration {

    @Bean
    AppliedChangeStore appliedChangeStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        return new JdbcAppliedChangeStore(jdbc, transactions);
    }
}
