package dev.tongxing.hub.exchange;

import dev.tongxing.api.v1.ChangeNotice;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link AppliedChangeStore} over any SQL database with row locks (embedded H2 by default,
 * PostgreSQL in production); schema in {@code db/exchange}.
 *
 * <p>One transaction per change: lock the traveler's head row, check the change id, compare
 * versions, insert and advance the head. The lock serializes publishers of one traveler; the
 * primary key on (province, change_id) is the last word on duplicates even if two travelers'
 * transactions race with the same id.
 */
final class JdbcAppliedChangeStore implements AppliedChangeStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    JdbcAppliedChangeStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Override
    public Decision apply(AppliedChange change, ChangeNotice notice) {
        ensureHead(change.pseudonym(), change.province());
        try {
            return transactions.execute(status -> decide(change, notice));
        } catch (DuplicateKeyException raced) {
            // Another transaction inserted the same (province, change_id) between our check and insert.
            return new Decision(Outcome.DUPLICATE, heldVersion(change));
        }
    }

    private Decision decide(AppliedChange change, ChangeNotice notice) {
        Long held = jdbc.queryForObject(
                "SELECT version FROM traveler_head WHERE pseudonym = ? AND province = ? FOR UPDATE",
                Long.class, change.pseudonym(), change.province());
        long heldVersion = held == null ? 0 : held;
        Integer seen = jdbc.queryForObject(
                "SELECT COUNT(*) FROM applied_change WHERE province = ? AND change_id = ?",
                Integer.class, change.province(), change.changeId());
        if (seen != null && seen > 0) {
            return new Decision(Outcome.DUPLICATE, heldVersion);
        }
        if (change.version() <= heldVersion) {
            return new Decision(Outcome.SUPERSEDED, heldVersion);
        }
        jdbc.update("""
                INSERT INTO applied_change
                    (province, change_id, pseudonym, version, colour, reason, valid_until, changed_at, applied_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                change.province(), change.changeId(), change.pseudonym(), change.version(), change.colour().name(),
                change.reason(), utc(change.validUntil()), utc(change.changedAt()), utc(Optional.of(change.appliedAt())));
        jdbc.update("UPDATE traveler_head SET version = ?, change_id = ? WHERE pseudonym = ? AND province = ?",
                change.version(), change.changeId(), change.pseudonym(), change.province());
        // The outbox row commits with the change or not at all: published at least once, never before stored.
        jdbc.update("INSERT INTO change_outbox (pseudonym, notice, stored_at) VALUES (?, ?, ?)",
                change.pseudonym(), notice.toByteArray(), utc(Optional.of(change.appliedAt())));
        return new Decision(Outcome.APPLIED, change.version());
    }

    /** The head row must exist before it can be locked; inserting it is idempotent and harmless. */
    private void ensureHead(String pseudonym, String province) {
        Integer present = jdbc.queryForObject("SELECT COUNT(*) FROM traveler_head WHERE pseudonym = ? AND province = ?",
                Integer.class, pseudonym, province);
        if (present != null && present > 0) {
            return;
        }
        try {
            jdbc.update("INSERT INTO traveler_head (pseudonym, province, version) VALUES (?, ?, 0)", pseudonym, province);
        } catch (DuplicateKeyException alreadyThere) {
            // A concurrent applier created it first.
        }
    }

    @Override
    public int forgetAppliedBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM applied_change WHERE applied_at < ?", cutoff.atOffset(ZoneOffset.UTC));
    }

    private long heldVersion(AppliedChange change) {
        Long held = jdbc.queryForObject("SELECT version FROM traveler_head WHERE pseudonym = ? AND province = ?",
                Long.class, change.pseudonym(), change.province());
        return held == null ? 0 : held;
    }

    private static OffsetDateTime utc(Optional<Instant> instant) {
        return instant.map(at -> at.atOffset(ZoneOffset.UTC)).orElse(null);
    }
}
