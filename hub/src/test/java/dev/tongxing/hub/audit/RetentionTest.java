package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyAuditChainResponse;
import dev.tongxing.hub.exchange.AppliedChangeStore;
import dev.tongxing.hub.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Retention deletes the personal part of old records and old applied changes; every chain still verifies. */
class RetentionTest {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    MutableClock clock = new MutableClock(START);
    HikariDataSource auditStore;
    AuditParts parts;
    /** The hub's own store, where applied changes are kept (the audit log has its own). */
    JdbcTemplate hubStore;
    AuditRetention retention;

    @BeforeEach
    void store() {
        auditStore = AuditParts.embeddedDatabase();
        parts = new AuditParts(auditStore, "hub-r", clock);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:retention-hub-store;DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(h2).locations("classpath:db/exchange").cleanDisabled(false).load().clean();
        Flyway.configure().dataSource(h2).locations("classpath:db/exchange").load().migrate();
        hubStore = new JdbcTemplate(h2);
        AppliedChangeStore changes = AppliedChangeStore.jdbc(hubStore, new TransactionTemplate(new DataSourceTransactionManager(h2)));
        retention = new AuditRetention(parts.store, changes, clock, new AuditProperties("hub-r", Duration.ofHours(1), "",
                Duration.ofDays(30), Duration.ofHours(1), 1000, 100, Duration.ZERO, 100, List.of(), AuditProperties.Journal.OFF));
    }

    @AfterEach
    void stop() {
        parts.close();
        auditStore.close();
    }

    @Test
    void personalFieldsOlderThanRetentionAreDeletedAndTheChainStillVerifies() {
        for (int i = 0; i < 5; i++) {
            parts.writer.append(AuditParts.lookup(i)).join();
        }
        appliedChange("old-change", START);
        clock.advance(Duration.ofDays(31));
        for (int i = 5; i < 8; i++) {
            parts.writer.append(AuditParts.lookup(i)).join();
        }
        appliedChange("new-change", clock.instant());
        parts.signer.signNow();

        assertThat(retention.applyNow()).isEqualTo(5);

        List<AuditRow> rows = parts.store.chain("hub-r", 1, 8, 100);
        assertThat(rows.subList(0, 5)).allSatisfy(row -> {
            assertThat(row.pseudonym()).isNull();
            assertThat(row.maskedName()).isNull();
            assertThat(row.personalSalt()).isNull();
            assertThat(row.personalDigest()).hasSize(64);
            assertThat(row.actor()).startsWith("checkpoint-");
        });
        assertThat(rows.subList(5, 8)).allSatisfy(row -> assertThat(row.pseudonym()).hasSize(64));
        assertThat(hubStore.queryForList("SELECT change_id FROM applied_change", String.class)).containsExactly("new-change");

        VerifyAuditChainResponse verified = parts.verifier.verify(VerifyAuditChainRequest.getDefaultInstance());
        assertThat(verified.getIntact()).as(verified.getDetail()).isTrue();
        assertThat(verified.getRecordsChecked()).isEqualTo(8);
        assertThat(retention.applyNow()).isZero();
    }

    @Test
    void personalFieldsPutBackAfterRetentionDoNotVerify() {
        parts.writer.append(AuditParts.lookup(1)).join();
        clock.advance(Duration.ofDays(31));
        retention.applyNow();
        parts.jdbc.update("UPDATE audit_record SET traveler_pseudonym = ? WHERE sequence = 1", String.format("%064x", 2));
        VerifyAuditChainResponse verified = parts.verifier.verify(VerifyAuditChainRequest.getDefaultInstance());
        assertThat(verified.getIntact()).isFalse();
        assertThat(verified.getFirstBrokenSequence()).isEqualTo(1);
    }

    private void appliedChange(String changeId, Instant at) {
        hubStore.update("INSERT INTO applied_change (province, change_id, pseudonym, version, colour, reason, applied_at)"
                        + " VALUES ('61', ?, ?, 1, 'RED', '', ?)",
                changeId, String.format("%064x", changeId.hashCode() & 0xffff), at.atOffset(ZoneOffset.UTC));
    }
}
