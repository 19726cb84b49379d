package dev.tongxing.adapters;

/** Which component of a traveler's status a source answers for. */
public enum SourceKind {
    /** A province's health code (three colours, plus test and vaccination facts where supplied). */
    HEALTH_CODE,
    /** The national telecommunications travel-history card (four colours, cities visited). */
    TRAVEL_CARD
}
