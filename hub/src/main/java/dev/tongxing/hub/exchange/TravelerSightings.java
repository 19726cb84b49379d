package dev.tongxing.hub.exchange;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.hub.config.ExchangeProperties;
import dev.tongxing.hub.config.HubProperties;
import dev.tongxing.hub.lookup.LookupListener;
import dev.tongxing.hub.lookup.Provinces;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Where travelers were looked up, by pseudonym: the provinces whose checkpoints looked them up
 * (from {@code tongxing.checkpoint-provinces}; a checkpoint id carries no province of its own).
 * They decide who hears of a change ({@code SubscribeStatusChanges}).
 *
 * <p>In memory only, bounded by {@code tracked-travelers} and forgotten {@code sighting-retention}
 * after the last lookup; a restarted hub starts with no sightings. The cost on the lookup hot path
 * is one HMAC and one map update.
 */
@Component
public class TravelerSightings implements LookupListener {

    private final TravelerPseudonyms pseudonyms;
    private final Map<String, String> checkpointProvinces;
    /** Pseudonym to provinces; each set immutable, replaced whole so readers never see it half-made. */
    private final Cache<String, Set<String>> byPseudonym;

    public TravelerSightings(TravelerPseudonyms pseudonyms, HubProperties hub, ExchangeProperties exchange) {
        this.pseudonyms = pseudonyms;
        this.checkpointProvinces = hub.checkpointProvinces();
        checkpointProvinces.forEach((checkpoint, province) -> {
            if (!Provinces.isKnown(province)) {
                throw new IllegalArgumentException("tongxing.checkpoint-provinces." + checkpoint + " '" + province
                        + "' is not a GB/T 2260 province code");
            }
        });
        this.byPseudonym = Caffeine.newBuilder()
                .maximumSize(exchange.trackedTravelers())
                .expireAfterWrite(exchange.sightingRetention())
                .build();
    }

    @Override
    public void lookedUp(SourceQuery traveler, String checkpointId) {
        String province = checkpointId == null ? null : checkpointProvinces.get(checkpointId);
        if (province == null) {
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
