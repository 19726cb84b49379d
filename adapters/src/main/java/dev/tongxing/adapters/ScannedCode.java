package dev.tongxing.adapters;

import java.time.Instant;

/** The traveler a scanned QR payload identifies, and when the app generated it. */
public record ScannedCode(SourceQuery traveler, Instant generatedAt) {}
