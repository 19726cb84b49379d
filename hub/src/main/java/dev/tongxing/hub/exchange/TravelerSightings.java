package dev.tongxing.hub.exchange;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.hub.config.ExchangeProperties;
import dev.tongxing.hub.config.HubProperties;
import dev.tongxing.hub.lookup.LookupListener;
import dev.tongxing.hub.lookup.Provinces;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Where travelers were looked up, by pseudonym: the provinces whose checkpoints looked them up
 * (from {@code tongxing.checkpoint-provinces}; a checkpoint id carries no province of its own),
 * and the phone numbers they were looked up with.
 *
 * <p>The provinces decide who hears of a change ({@code SubscribeStatusChanges}). The phones are
 * needed because a health-code answer is cached per full traveler key, phone included: a pushed
 * change has to replace every variant a checkpoint might read, not only the one it names.
 *
 * <p>In memory only, bounded by {@code tracked-travelers} and forgotten {@code sighting-retention}
 * after the last lookup; a restarted hub starts with no sightings. The cost on the lookup hot path
 * is one HMAC and one map update.
 */
@Component
public class TravelerSightings implements LookupListener {

    /** Phone numbers remembered per traveler; the oldest is forgotten first. */
    static final int PHONES_PER_TRAVELER = 4;

    private final TravelerPseudonyms pseudonyms;
    private final Map<String, String> checkpointProvinces;
    private final Cache<String, Sighting> byPseudonym;

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
        String phone = traveler.phoneNumber();
        byPseudonym.asMap().compute(pseudonyms.of(traveler), (key, seen) -> (seen == null ? Sighting.NONE : seen).with(province, phone));
    }

    /** Provinces in whose territory this traveler was looked up; empty if none is remembered. */
    public Set<String> provincesOf(String pseudonym) {
        Sighting seen = byPseudonym.getIfPresent(pseudonym);
        return seen == null ? Set.of() : seen.provinces();
    }

    /** Phone numbers this traveler was looked up with, most recent last. */
    public Set<String> phonesOf(String pseudonym) {
        Sighting seen = byPseudonym.getIfPresent(pseudonym);
        return seen == null ? Set.of() : seen.phones();
    }

    /** Immutable; replaced as a whole on each lookup so readers never see a half-made set. */
    private record Sighting(Set<String> provinces, Set<String> phones) {

        static final Sighting NONE = new Sighting(Set.of(), Set.of());

        Sighting with(String province, String phone) {
            boolean newProvince = province != null && !provinces.contains(province);
            boolean newPhone = !phone.isEmpty() && !phones.contains(phone);
            if (!newProvince && !newPhone) {
                return this;
            }
            Set<String> allProvinces = provinces;
            if (newProvince) {
                allProvinces = new LinkedHashSet<>(provinces);
                allProvinces.add(province);
                allProvinces = java.util.Collections.unmodifiableSet(allProvinces);
            }
            Set<String> allPhones = phones;
            if (newPhone) {
                LinkedHashSet<String> grown = new LinkedHashSet<>(phones);
                grown.add(phone);
                while (grown.size() > PHONES_PER_TRAVELER) {
                    grown.remove(grown.iterator().next());
                }
                allPhones = java.util.Collections.unmodifiableSet(grown);
            }
            return new Sighting(allProvinces, allPhones);
        }
    }
}
