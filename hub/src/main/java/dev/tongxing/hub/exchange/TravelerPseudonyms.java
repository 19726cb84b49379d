package dev.tongxing.hub.exchange;

import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.hub.config.ExchangeProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * The keyed pseudonym that stands for a traveler wherever the hub keeps or logs something about
 * them: HMAC-SHA256 over document type and number with {@code tongxing.exchange.pseudonym-key}.
 * The type is included so that a passport and a permit sharing a number stay two travelers.
 * Without the key a pseudonym cannot be reversed by enumerating ID numbers.
 */
@Component
public class TravelerPseudonyms {

    private static final String ALGORITHM = "HmacSHA256";

    private final Mac prototype;
    /**
     * A keyed MAC per thread, cloned once: every lookup derives its traveler's pseudonym (for the
     * audit record and the sightings), and a clone per call was the lookup's largest allocation
     * after the answer itself. {@code doFinal} resets it for the next use.
     */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    public TravelerPseudonyms(ExchangeProperties properties) {
        try {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(properties.pseudonymKey().getBytes(StandardCharsets.UTF_8), ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** 64 lower-case hex characters. */
    public String of(SourceQuery traveler) {
        byte[] digest = macs.get().doFinal((traveler.documentType().name() + ":" + traveler.documentNumber()).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    private Mac newMac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HMAC-SHA256 provider cannot clone", e);
        }
    }
}
