package dev.tongxing.hub.sources;

import dev.tongxing.adapters.SourceAnswer;
import java.time.Instant;

/** A source's answer and when the hub received it. */
public record Fetched(SourceAnswer answer, Instant fetchedAt) {}
