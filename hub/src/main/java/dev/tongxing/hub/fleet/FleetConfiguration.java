package dev.tongxing.hub.fleet;

import dev.tongxing.hub.audit.AuditProperties;
import dev.tongxing.hub.config.FleetProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Membership by leases in the shared database when {@code tongxing.fleet.leases.enabled}, else a fleet of one. */
@Configuration(proxyBeanMethods = false)
class FleetConfiguration {

    @Bean
    FleetMembership fleetMembership(FleetProperties fleet, JdbcTemplate jdbc, TransactionTemplate transactions,
                                    AuditProperties audit, MeterRegistry meters) {
        if (fleet.leases().enabled()) {
            return new LeaseMembership(jdbc, transactions, audit.replicaId(), fleet.leases(), meters);
        }
        return FleetMembership.alone();
    }
}
