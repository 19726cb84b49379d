package dev.tongxing.hub.admission;

/** Who waits when the hub is full: scans at a gate first, then manifests, then audit queries. */
public enum Priority {
    /** A traveler standing at a gate, or a province pushing a status change. */
    SCAN,
    /** A train or flight manifest, checked before departure. */
    MANIFEST,
    /** The ministry's audit queries: important, never urgent. */
    AUDIT
}
