package dev.tongxing.hub.admission;

/**
 * Who waits when the hub is full: scans at a gate first, then manifests, then audit queries.
 * Exchange streams stand apart, in a budget of their own.
 */
public enum Priority {
    /** A traveler standing at a gate, or a province pushing a status change. */
    SCAN,
    /** A train or flight manifest, checked before departure. */
    MANIFEST,
    /** The ministry's audit queries: important, never urgent. */
    AUDIT,
    /**
     * A province's {@code ProvinceExchange} stream: long-lived and mostly idle, so it is admitted from
     * a budget of its own, with a cap per calling system, and never takes a slot a scan could use.
     */
    EXCHANGE
}
