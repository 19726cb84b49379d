package dev.tongxing.hub.config;

import dev.tongxing.adapters.TlsFiles;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Mutual TLS toward one source, under {@code tongxing.sources.<id>.tls}: the hub's client
 * certificate for that province and the CAs it trusts for the province's server. Files are PEM and
 * are re-read every {@code refresh}, so certificates rotate without a restart.
 *
 * @param certificateChain the hub's client certificate chain for this source
 * @param privateKey       its PKCS#8 private key
 * @param trust            CAs accepted for the source's server certificate; empty means the JDK's defaults
 * @param refresh          how often the files are re-read
 */
public record SourceTlsProperties(
        String certificateChain,
        String privateKey,
        String trust,
        @DefaultValue("1m") Duration refresh) {

    public SourceTlsProperties {
        if (blank(certificateChain) != blank(privateKey)) {
            throw new IllegalArgumentException("tls.certificate-chain and tls.private-key go together");
        }
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException("tls.refresh must be positive");
        }
    }

    boolean configured() {
        return !blank(certificateChain) || !blank(trust);
    }

    Optional<TlsFiles> load() {
        return configured() ? Optional.of(TlsFiles.load(certificateChain, privateKey, trust, true, refresh)) : Optional.empty();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
