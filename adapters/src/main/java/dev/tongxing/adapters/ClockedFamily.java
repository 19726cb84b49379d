package dev.tongxing.adapters;

import java.time.Clock;
import java.util.Objects;

/**
 * What every format family has besides its format: its configuration name, the component it
 * answers for, and the clock by which it judges validity periods and replays (the hub's, so that
 * tests and the hub agree on "now").
 */
public abstract class ClockedFamily implements FormatFamily {

    private final String name;
    private final SourceKind kind;
    protected final Clock clock;

    protected ClockedFamily(String name, SourceKind kind, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final SourceKind kind() {
        return kind;
    }
}
