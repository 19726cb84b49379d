package dev.tongxing.hub.trust;

import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.offline.EcKeys;
import dev.tongxing.api.offline.ProvinceKeys;
import dev.tongxing.api.offline.TrustLists;
import dev.tongxing.api.v1.SignedTrustList;
import dev.tongxing.api.v1.TrustList;
import io.grpc.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The trust list as the ministry publishes it: every configured province key with its status,
 * signed with the ministry key. Signed once and handed out until a tenth of its validity has
 * passed, so every caller gets the same bytes and a fresh list is always far from its end.
 */
@Component
public class TrustListPublisher {

    static final String ISSUER = "tongxing-hub";
    private static final Logger log = LoggerFactory.getLogger(TrustListPublisher.class);

    private final ProvinceTrust trust;
    private final TrustProperties properties;
    private final Optional<ECPrivateKey> ministryKey;
    private final Clock clock;
    private SignedTrustList current;
    private Instant signedAt = Instant.MIN;

    public TrustListPublisher(ProvinceTrust trust, TrustProperties properties, Clock clock) {
        this.trust = trust;
        this.properties = properties;
        this.clock = clock;
        this.ministryKey = properties.ministry().signingKey().isBlank()
                ? Optional.empty() : Optional.of(EcKeys.privateKey(properties.ministry().signingKey()));
    }

    /** @throws io.grpc.StatusRuntimeException FAILED_PRECONDITION when no ministry key is configured */
    public synchronized SignedTrustList current() {
        ECPrivateKey key = ministryKey.orElseThrow(() -> Status.FAILED_PRECONDITION
                .withDescription("this hub publishes no trust list: tongxing.trust.ministry.signing-key is not set").asRuntimeException());
        Instant now = clock.instant();
        if (current == null || Duration.between(signedAt, now).compareTo(properties.listValidity().dividedBy(10)) > 0) {
            TrustList.Builder list = TrustList.newBuilder()
                    .setIssuer(ISSUER)
                    .setIssuedAt(Timestamps.fromMillis(now.toEpochMilli()))
                    .setValidUntil(Timestamps.fromMillis(now.plus(properties.listValidity()).toEpochMilli()));
            trust.keys().all().forEach(province -> list.addKeys(ProvinceKeys.entry(province)));
            current = TrustLists.sign(list.build(), key, properties.ministry().keyId());
            signedAt = now;
        }
        return current;
    }

    /** Writes the list to {@code tongxing.trust.export-path}, if set, once the hub is up. */
    @EventListener(ApplicationReadyEvent.class)
    public void export() {
        Optional<Path> file = properties.exportFile();
        if (file.isEmpty() || ministryKey.isEmpty()) {
            return;
        }
        write(current(), file.get());
        log.info("Trust list with {} province keys written to {}", trust.keys().all().size(), file.get());
    }

    /** Writes a signed list as proto3 JSON, replacing the file atomically so a reader never sees half a list. */
    public static void write(SignedTrustList list, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, ".trust-list", ".tmp");
            Files.writeString(partial, JsonFormat.printer().print(list) + "\n", StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("tongxing.trust.export-path: cannot write the trust list to " + file, e);
        }
    }
}
