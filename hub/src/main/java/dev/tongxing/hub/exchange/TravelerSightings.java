package dev.tongxing.hub.exchange;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.hub.config.ExchangeProperties;
import dev.tongxing.hub.lookup.LookupListener;
import dev.tongxing.hub.lookup.Checkpoint;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Where travelers were looked up, by pseudonym: the provinces whose checkpoints looked them up
 * (the province claim of the checkpoint's own credential, so a checkpoint cannot claim another's
 * territory).
 * They decide who hears of a change ({@code SubscribeStatusChanges}).
 *
 * <p>In memory only, bounded by {@code tracked-travelers} and forgotten {@code sighting-retention}
 * after the last lookup; a restarted hub starts with no sightings. The cost on the lookup hot path
 * is one HMAC and one map update.
 */
@Component
public class TravelerSightings implements LookupListener {

    private final TravelerPseudonyms pseudonyms;
    /** Pseudonym to provinces; each set immutable, replaced whole so readers never see it half-made. */
    private final Cache<String, Set<String>> byPseudonym;

    public TravelerSightings(TravelerPseudonyms pseudonyms, ExchangeProperties exchange) {
        this.pseudonyms = pseudonyms;
        this.byPseudonym = Caffeine.newBuilder()
                .maximumSize(exchange.trackedTravelers())
                .expireAfterWrite(exchange.sightingRetention())
                .build();
    }

    @Override
    public void lookedUp(SourceQuery traveler, Checkpoint checkpoint) {
        String province = checkpoint.province();
        if (province.isEmpty()) {
            return;   // not in any configured territory: nobody to tell, and no HMAC on the hot path
        }
        byPseudonym.asMap().compute(pseudonyms.of(traveler), (key, seen) -> seen == null ? Set.of(province) : with(seen, province));
    }

    /** Provinces in whose territory this traveler was looked up; empty if none is remembered. */
    public Set<String> provincesOf(String pseudonym) {
        Set<String> seen = byPseudonym.getIfPresent(pseudonym);
        return seen == null ? Set.of() : seen;
    }

    private static Set<String> with(Set<String> provinces, String province) {
        if (provinces.contains(province)) {
            return provinces;
        }
        Set<String> grown = new LinkedHashSet<>(provinces);
        grown.add(province);
        return Collections.unmodifiableSet(grown);
    }
}
