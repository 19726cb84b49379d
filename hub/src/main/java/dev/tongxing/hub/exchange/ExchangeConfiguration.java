package dev.tongxing.hub.exchange;

import dev.tongxing.hub.audit.AuditProperties;
import dev.tongxing.hub.config.FleetProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Assembles the exchange's store: SQL over {@code spring.datasource}, migrated by Flyway. Moving to
 * PostgreSQL is configuration only (a {@code spring.datasource.url} and the PostgreSQL JDBC driver
 * and Flyway module on the class path); a store of another kind is a new {@link AppliedChangeStore}
 * returned here.
 *
 * <p>And the fan-out of applied changes: the outbox relay moves committed changes to the change
 * log, a Kafka topic when {@code tongxing.fleet.kafka.enabled} (a fleet of replicas), otherwise a
 * log in this process; every replica reads it ({@link ChangeFanOut}).
 */
@Configuration(proxyBeanMethods = false)
class ExchangeConfiguration {

    @Bean
    AppliedChangeStore appliedChangeStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        return AppliedChangeStore.jdbc(jdbc, transactions);
    }

    @Bean(destroyMethod = "")
    ChangeLog changeLog(FleetProperties fleet, ObjectProvider<KafkaProperties> kafka, AuditProperties audit) {
        if (fleet.kafka().enabled()) {
            return new KafkaChangeLog(kafka.getIfAvailable(KafkaProperties::new), fleet.kafka(), audit.replicaId());
        }
        return new InProcessChangeLog(fleet.memoryLogRetention());
    }

    /** Closes a Kafka producer after the relay and the reader have stopped (lifecycle phases run first). */
    @Bean
    ChangeLogCloser changeLogCloser(ChangeLog changeLog) {
        return new ChangeLogCloser(changeLog);
    }

    @Bean
    OutboxRelay outboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, ChangeLog changeLog, FleetProperties fleet) {
        return new OutboxRelay(jdbc, transactions, changeLog, fleet.relay());
    }

    @Bean
    ChangeFanOut changeFanOut(ChangeLog changeLog, ChangeIntake intake, ChangeSubscriptions subscriptions, TravelerSightings sightings) {
        return new ChangeFanOut(changeLog, intake, subscriptions, sightings);
    }

    record ChangeLogCloser(ChangeLog changeLog) implements org.springframework.beans.factory.DisposableBean {
        @Override
        public void destroy() throws Exception {
            if (changeLog instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }
}
