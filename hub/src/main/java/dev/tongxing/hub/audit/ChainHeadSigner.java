package dev.tongxing.hub.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Signs this replica's chain head with Ed25519 every {@code tongxing.audit.sign-every} and once
 * more at shutdown, and stores the signed head. A signed head pins everything before it: a chain
 * rewritten and rehashed no longer matches it, and a chain cut short of it has lost its tail.
 * Only new heads are signed, so an idle replica adds nothing.
 */
@Component
public class ChainHeadSigner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChainHeadSigner.class);

    private final AuditWriter writer;
    private final AuditStore store;
    private final Clock clock;
    private final AuditProperties properties;
    private final PrivateKey privateKey;
    private final String publicKey;
    private ScheduledExecutorService schedule;
    /** Newest sequence signed, by this process or one before it on the same chain; -1 until read from the store. */
    private long lastSigned = -1;

    public ChainHeadSigner(AuditWriter writer, AuditStore store, Clock clock, AuditProperties properties) {
        this.writer = writer;
        this.store = store;
        this.clock = clock;
        this.properties = properties;
        KeyPair keys = keys(properties.signingKey());
        this.privateKey = keys.getPrivate();
        this.publicKey = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** Signs and stores the current head if it moved since the last signature. */
    public synchronized void signNow() {
        // With the journal, the store lags by a moment: sign what was answered up to now, once stored.
        writer.awaitStored(Duration.ofSeconds(5));
        ChainHead head = writer.storedHead();
        if (head == null || head.sequence() == 0) {
            return;
        }
        if (lastSigned < 0) {
            // A process killed after signing its last head leaves that head for the next start,
            // which must not sign it again (the store keeps one signature per sequence).
            lastSigned = store.lastSignedSequence(head.replicaId());
        }
        if (head.sequence() <= lastSigned) {
            return;
        }
        long at = AuditStore.micros(clock.instant());
        String text = SignedHead.signedText(head.replicaId(), head.sequence(), head.hash(), at);
        store.saveSignedHead(new SignedHead(head.replicaId(), head.sequence(), head.hash(), at, publicKey, sign(text)));
        lastSigned = head.sequence();
    }

    /** Base64 X.509 form of the public key heads are signed with, to publish for verifiers. */
    public String publicKey() {
        return publicKey;
    }

    @Override
    public void start() {
        schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("audit-head-signer").daemon().factory());
        long every = properties.signEvery().toMillis();
        schedule.scheduleWithFixedDelay(this::signQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (schedule != null) {
            schedule.shutdown();
            try {
                schedule.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            schedule = null;
        }
        signQuietly();
    }

    @Override
    public boolean isRunning() {
        return schedule != null;
    }

    /** After the writer (which drains at stop), so the final head is signed. */
    @Override
    public int getPhase() {
        return AuditWriter.PHASE - 1;
    }

    private void signQuietly() {
        try {
            signNow();
        } catch (RuntimeException e) {
            log.warn("could not sign the audit chain head: {}", e.getClass().getName());
        }
    }

    private String sign(String text) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    private static KeyPair keys(String configured) {
        try {
            if (configured.isEmpty()) {
                return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            }
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(configured)));
            return new KeyPair(publicOf((EdECPrivateKey) key, factory), key);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("tongxing.audit.signing-key must be an Ed25519 private key, PKCS#8 DER in base64");
        }
    }

    /**
     * The JDK cannot derive an Ed25519 public key from a private one directly; its generator draws
     * the 32-byte private key from the random source, so one fed the configured key rebuilds the
     * pair. Checked: a different private key out means this JDK generates otherwise, and start-up stops.
     */
    private static PublicKey publicOf(EdECPrivateKey key, KeyFactory factory) throws GeneralSecurityException {
        byte[] seed = key.getBytes().orElseThrow(() -> new GeneralSecurityException("private key bytes unavailable"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
        KeyPair pair = generator.generateKeyPair();
        if (!java.util.Arrays.equals(((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(), seed)) {
            throw new GeneralSecurityException("could not derive the public key");
        }
        return factory.generatePublic(new java.security.spec.X509EncodedKeySpec(pair.getPublic().getEncoded()));
    }

    /** A "random" source that yields the private key's seed once, so the generator rebuilds that key pair. */
    private static final class FixedSeed extends java.security.SecureRandom {
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
