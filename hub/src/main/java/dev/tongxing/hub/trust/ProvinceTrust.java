package dev.tongxing.hub.trust;

import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.api.offline.EcKeys;
import dev.tongxing.api.offline.ProvinceKeys;
import dev.tongxing.api.offline.TrustedKey;
import dev.tongxing.api.v1.ProvinceKey;
import dev.tongxing.hub.sources.SourceRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The province keys the hub trusts, from {@code tongxing.trust.sources}: each key belongs to one
 * configured health-code source, and so to that source's province. Checked at start-up: a key
 * for an unknown source, or a source that is not a province's health code, stops the hub.
 */
@Component
public class ProvinceTrust {

    private final ProvinceKeys keys;
    private final TrustProperties properties;

    public ProvinceTrust(TrustProperties properties, SourceRegistry sources) {
        this.properties = properties;
        List<TrustedKey> trusted = new ArrayList<>();
        properties.sources().forEach((sourceId, trust) -> {
            SourceSettings source = sources.all().stream().filter(s -> s.id().equals(sourceId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("tongxing.trust.sources." + sourceId
                            + ": no source with this id under tongxing.sources"));
            if (source.kind() != SourceKind.HEALTH_CODE) {
                throw new IllegalArgumentException("tongxing.trust.sources." + sourceId + ": not a province's health-code source");
            }
            trust.keys().forEach((kid, key) -> trusted.add(new TrustedKey(kid, source.province(), sourceId,
                    EcKeys.publicKey(key.publicKey()), key.validFrom(), Optional.ofNullable(key.validUntil()), status(key.status()))));
        });
        try {
            this.keys = ProvinceKeys.of(trusted);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tongxing.trust.sources: " + e.getMessage());
        }
    }

    public ProvinceKeys keys() {
        return keys;
    }

    /** True when the source's configuration still accepts its unsigned QR format. */
    public boolean acceptsUnsignedCodes(String sourceId) {
        TrustProperties.SourceTrust trust = properties.sources().get(sourceId);
        return trust != null && trust.acceptUnsignedCodes();
    }

    private static ProvinceKey.Status status(TrustProperties.KeyStatus status) {
        return switch (status) {
            case ACTIVE -> ProvinceKey.Status.ACTIVE;
            case RETIRED -> ProvinceKey.Status.RETIRED;
            case REVOKED -> ProvinceKey.Status.REVOKED;
        };
    }
}
