package dev.tongxing.hub.sources;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.api.v1.Provenance;
import java.time.Duration;
import java.util.Optional;

/**
 * What the hub learned from one source for one request: the answer, if any, and how it came to
 * know it. An observation without an answer is always UNAVAILABLE with a reason.
 */
public record Observation(Optional<SourceAnswer> answer, Provenance provenance) {

    public static Observation live(Fetched fetched, String sourceId) {
        return of(fetched.answer(), provenance(Provenance.Kind.LIVE, sourceId, Duration.ZERO, fetched, ""));
    }

    public static Observation cached(Fetched fetched, String sourceId, Duration age) {
        return of(fetched.answer(), provenance(Provenance.Kind.CACHED, sourceId, age, fetched, ""));
    }

    public static Observation stale(Fetched fetched, String sourceId, Duration age, String reason) {
        return of(fetched.answer(), provenance(Provenance.Kind.STALE, sourceId, age, fetched, reason));
    }

    public static Observation unavailable(String sourceId, String reason) {
        return new Observation(Optional.empty(), provenance(Provenance.Kind.UNAVAILABLE, sourceId, Duration.ZERO, null, reason));
    }

    /**
     * A "no record" answer is knowledge, but not a colour: the component stays UNAVAILABLE. An
     * answer the source itself served from its own store ({@link SourceAnswer#upstreamAge()}) is
     * STALE whatever the hub's own path to it, and its age includes the source's.
     */
    private static Observation of(SourceAnswer answer, Provenance provenance) {
        if (answer instanceof SourceAnswer.NotFound notFound) {
            return new Observation(Optional.of(answer), provenance.toBuilder()
                    .setKind(Provenance.Kind.UNAVAILABLE)
                    .setReason(notFound.reason())
                    .build());
        }
        if (answer.upstreamAge().isPresent()) {
            Duration upstream = answer.upstreamAge().get();
            String served = provenance.getSourceId() + ": the source answered from its own store, " + upstream.toSeconds() + " s old";
            return new Observation(Optional.of(answer), provenance.toBuilder()
                    .setKind(Provenance.Kind.STALE)
                    .setAge(Durations.add(provenance.getAge(), Durations.fromMillis(upstream.toMillis())))
                    .setReason(provenance.getReason().isEmpty() ? served : provenance.getReason() + "; " + served)
                    .build());
        }
        return new Observation(Optional.of(answer), provenance);
    }

    private static Provenance provenance(Provenance.Kind kind, String sourceId, Duration age, Fetched fetched, String reason) {
        Provenance.Builder builder = Provenance.newBuilder()
                .setKind(kind)
                .setSourceId(sourceId)
                .setAge(Durations.fromMillis(Math.max(0, age.toMillis())))
                .setReason(reason);
        if (fetched != null) {
            builder.setFetchedAt(Timestamps.fromMillis(fetched.fetchedAt().toEpochMilli())).setRoute(fetched.route());
        }
        return builder.build();
    }
}
