package dev.tongxing.hub.sources;

import dev.tongxing.adapters.SourceAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A source's answer, when the hub received it, and the route it came by: empty for the source
 * itself, or the id of the fallback source that answered while the primary's breaker was open.
 *
 * <p>Not a record holding an {@link Instant}: one of these sits in the cache for every answer held,
 * and the time kept as two fields instead of an object of its own is 24 bytes less for each (48 a
 * traveler, a health code and a travel card), exactly, to the nanosecond.
 */
public final class Fetched {

    private final SourceAnswer answer;
    private final String route;
    private final long fetchedAtSecond;
    private final int fetchedAtNano;

    public Fetched(SourceAnswer answer, Instant fetchedAt, String route) {
        this.answer = Objects.requireNonNull(answer, "answer");
        this.route = Objects.requireNonNull(route, "route");
        this.fetchedAtSecond = fetchedAt.getEpochSecond();
        this.fetchedAtNano = fetchedAt.getNano();
    }

    public Fetched(SourceAnswer answer, Instant fetchedAt) {
        this(answer, fetchedAt, "");
    }

    public SourceAnswer answer() {
        return answer;
    }

    public Instant fetchedAt() {
        return Instant.ofEpochSecond(fetchedAtSecond, fetchedAtNano);
    }

    public String route() {
        return route;
    }

    /** How long before {@code now} it was received; the same as {@code Duration.between(fetchedAt(), now)}, without making the Instant. */
    public Duration ageAt(Instant now) {
        return Duration.ofSeconds(now.getEpochSecond() - fetchedAtSecond, now.getNano() - fetchedAtNano);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Fetched that && fetchedAtSecond == that.fetchedAtSecond && fetchedAtNano == that.fetchedAtNano
                && answer.equals(that.answer) && route.equals(that.route);
    }

    @Override
    public int hashCode() {
        return Objects.hash(answer, route, fetchedAtSecond, fetchedAtNano);
    }

    @Override
    public String toString() {
        return "Fetched[answer=" + answer + ", fetchedAt=" + fetchedAt() + ", route=" + route + "]";
    }
}
