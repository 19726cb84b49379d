package dev.tongxing.hub.exchange;

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
    Decision apply(AppliedChange change, dev.tongxing.api.v1.ChangeNotice notice);

    /** What happened to one change, with the newest version held for the traveler afterwards. */
    record Decision(Outcome outcome, long heldVersion) {}

    enum Outcome { APPLIED, DUPLICATE, SUPERSEDED }
}
