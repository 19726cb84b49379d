package dev.tongxing.hub.sources;

import dev.tongxing.adapters.FormatFamilies;
import dev.tongxing.adapters.FormatFamily;
import dev.tongxing.adapters.Transport;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.hub.config.HubProperties;
import dev.tongxing.hub.config.SourceProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every configured source, checked against the known format families, and who answers for what. */
public final class SourceRegistry {

    private final List<SourceSettings> all;
    private final Map<String, SourceProperties> propertiesById = new HashMap<>();
    private final Map<String, SourceSettings> healthCodeByProvince = new HashMap<>();
    private final SourceSettings travelCard;
    private final Map<String, SourceSettings> fallbackById = new HashMap<>();

    public SourceRegistry(HubProperties properties, FormatFamilies families) {
        List<SourceSettings> settings = new ArrayList<>();
        SourceSettings card = null;
        java.util.Set<String> fallbacks = new java.util.HashSet<>();
        properties.sources().values().forEach(source -> {
            if (!source.fallback().isEmpty()) {
                fallbacks.add(source.fallback());
            }
        });
        for (Map.Entry<String, SourceProperties> entry : new java.util.TreeMap<>(properties.sources()).entrySet()) {
            String id = entry.getKey();
            SourceProperties source = entry.getValue();
            FormatFamily family;
            try {
                family = families.get(source.family());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tongxing.sources." + id + ".family: " + e.getMessage());
            }
            SourceKind kind = family.kind();
            boolean grpc = family.transport() == Transport.GRPC;
            if (grpc != source.isGrpc()) {
                throw new IllegalArgumentException("tongxing.sources." + id + ".endpoint: family '" + family.name() + "' speaks "
                        + family.transport() + ", so the endpoint must be " + (grpc ? "grpc://host:port (or grpcs://)" : "an http or https URL")
                        + ", not a " + source.endpoint().getScheme() + " URL");
            }
            SourceSettings setting = source.toSettings(id, kind);
            settings.add(setting);
            propertiesById.put(id, source);
            if (fallbacks.contains(id)) {
                continue;
            }
            if (kind == SourceKind.HEALTH_CODE) {
                SourceSettings previous = healthCodeByProvince.putIfAbsent(source.province(), setting);
                if (previous != null) {
                    throw new IllegalArgumentException("tongxing.sources: province " + source.province()
                            + " has two health-code sources, '" + previous.id() + "' and '" + id + "'");
                }
            } else if (card == null) {
                card = setting;
            } else {
                throw new IllegalArgumentException("tongxing.sources: two travel-card sources, '" + card.id() + "' and '" + id + "'");
            }
        }
        this.all = List.copyOf(settings);
        this.travelCard = card;
        for (SourceSettings source : all) {
            String fallback = propertiesById.get(source.id()).fallback();
            if (fallback.isEmpty()) {
                continue;
            }
            SourceSettings target = all.stream().filter(s -> s.id().equals(fallback)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("tongxing.sources." + source.id() + ".fallback names unknown source '" + fallback + "'"));
            if (target.kind() != source.kind() || target.id().equals(source.id()) || !propertiesById.get(fallback).fallback().isEmpty()) {
                throw new IllegalArgumentException("tongxing.sources." + source.id() + ".fallback '" + fallback
                        + "' must be another source of the same kind without a fallback of its own");
            }
            fallbackById.put(source.id(), target);
        }
    }

    /** The source asked instead of this one while its breaker is open, if configured. */
    public Optional<SourceSettings> fallbackOf(String sourceId) {
        return Optional.ofNullable(fallbackById.get(sourceId));
    }

    public List<SourceSettings> all() {
        return all;
    }

    public Optional<SourceSettings> healthCodeFor(String province) {
        return Optional.ofNullable(healthCodeByProvince.get(province));
    }

    public Optional<SourceSettings> travelCard() {
        return Optional.ofNullable(travelCard);
    }

    public SourceProperties properties(String sourceId) {
        return propertiesById.get(sourceId);
    }
}
