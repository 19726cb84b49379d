package dev.tongxing.hub.exchange;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.hub.config.ExchangeProperties;
import dev.tongxing.hub.lookup.Checkpoint;
import dev.tongxing.hub.lookup.LookupListener;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Where travelers were looked up, by pseudonym: the provinces whose checkpoints looked them up
 * (the province claim of the checkpoint's own credential, so a checkpoint cannot claim another's
 * territory). They decide who hears of a change ({@code SubscribeStatusChanges}).
 *
 * <p>In a fleet a traveler looked up on one replica may change on another and be subscribed to on
 * a third, so a new sighting is shared through the change log ({@link ChangeLog#offer}, best
 * effort) and every replica adds the others' sightings here ({@link #sighted}).
 *
 * <p>It also remembers, for travelers looked up on this replica, the document key behind the
 * pseudonym: a change applied on another replica arrives by pseudonym only, and this is how this
 * replica finds the cache entry to replace ({@link #keyOf}).
 *
 * <p>In memory only, bounded by {@code tracked-travelers} and forgotten {@code sighting-retention}
 * after the last lookup; a restarted hub starts with no sightings. The cost on the lookup hot path
 * is one HMAC and one map update.
 */
@Component
public class TravelerSightings implements LookupListener {

    private final TravelerPseudonyms pseudonyms;
    private final ChangeLog changeLog;
    /** Pseudonym to what is known; each value immutable, replaced whole so readers never see it half-made. */
    private final Cache<String, Seen> byPseudonym;

    public TravelerSightings(TravelerPseudonyms pseudonyms, ExchangeProperties exchange, ChangeLog changeLog) {
        this.pseudonyms = pseudonyms;
        this.changeLog = changeLog;
        this.byPseudonym = Caffeine.newBuilder()
                .maximumSize(exchange.trackedTravelers())
                .expireAfterWrite(exchange.sightingRetention())
                .build();
    }

    @Override
    public void lookedUp(SourceQuery traveler, Checkpoint checkpoint) {
        String province = checkpoint.province();
        String pseudonym = pseudonyms.of(traveler);
        // The health-code sources' cache key: the document, whatever phone came with it.
        SourceQuery document = new SourceQuery(traveler.documentType(), traveler.documentNumber(), "", traveler.province());
        boolean[] isNew = {false};
        byPseudonym.asMap().compute(pseudonym, (key, seen) -> {
            Seen now = seen == null ? new Seen(document, Set.of()) : seen.withKey(document);
            if (!province.isEmpty() && !now.provinces().contains(province)) {
                isNew[0] = true;
                now = now.with(province);
            }
            return now;
        });
        if (isNew[0] && changeLog.shared()) {
            changeLog.offer(new ChangeLog.Entry(ChangeLog.Kind.SIGHTING, pseudonym, province.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    /** Another replica's sighting, read from the change log. */
    void sighted(String pseudonym, String province) {
        byPseudonym.asMap().compute(pseudonym, (key, seen) -> seen == null ? new Seen(null, Set.of(province)) : seen.with(province));
    }

    /** Provinces in whose territory this traveler was looked up; empty if none is remembered. */
    public Set<String> provincesOf(String pseudonym) {
        Seen seen = byPseudonym.getIfPresent(pseudonym);
        return seen == null ? Set.of() : seen.provinces();
    }

    /** The document key behind a pseudonym, if this replica looked the traveler up. */
    Optional<SourceQuery> keyOf(String pseudonym) {
        Seen seen = byPseudonym.getIfPresent(pseudonym);
        return seen == null ? Optional.empty() : Optional.ofNullable(seen.key());
    }

    private record Seen(SourceQuery key, Set<String> provinces) {
        Seen withKey(SourceQuery document) {
            return key != null ? this : new Seen(document, provinces);
        }

        Seen with(String province) {
            if (provinces.contains(province)) {
                return this;
            }
            Set<String> grown = new LinkedHashSet<>(provinces);
            grown.add(province);
            return new Seen(key, Collections.unmodifiableSet(grown));
        }
    }
}
