package dev.tongxing.hub.audit;

/**
 * The audit store could not make a record durable. The edge answers UNAVAILABLE "audit store
 * unavailable": an answer that cannot be audited is not given (fail closed).
 */
public final class AuditUnavailable extends RuntimeException {

    public static final String DESCRIPTION = "audit store unavailable";

    AuditUnavailable(String why) {
        super(why, null, false, false);
    }
}
