package dev.tongxing.hub.exchange;

import dev.tongxing.api.v1.ChangeNotice;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where applied status changes are kept durably: the truth for idempotency and version order,
 * across restarts and across concurrent publishers (and, with a shared database, across replicas).
 * An implementation decides atomically; memory is never consulted.
 */
public interface AppliedChangeStore {

    /**
     * Applies the change unless its change id was applied before or a newer-or-equal version is
     * held for the traveler. Returns only once an APPLIED change is durable, and with it, in the same
     * transaction, its notice in the outbox the {@link OutboxRelay} publishes from.
     *
     * @throws org.springframework.dao.DataAccessException when the store cannot decide; nothing was
     *         applied and the publisher may resend
     */
    Decision apply(AppliedChange change, ChangeNotice notice);

    /**
     * Deletes changes applied before the cutoff (their pseudonym and reason with them); returns how
     * many. The traveler's newest version stays, so an old change resent later is still SUPERSEDED.
     */
    int forgetAppliedBefore(Instant cutoff);

    /** The store over SQL ({@code db/exchange}), for callers outside the hub's Spring context. */
    static AppliedChangeStore jdbc(JdbcTemplate jdbc, TransactionTemplate transactions) {
        return new JdbcAppliedChangeStore(jdbc, transactions);
    }

    /** What happened to one change, with the newest version held for the traveler afterwards. */
    record Decision(Outcome outcome, long heldVersion) {}

    enum Outcome { APPLIED, DUPLICATE, SUPERSEDED }
}
