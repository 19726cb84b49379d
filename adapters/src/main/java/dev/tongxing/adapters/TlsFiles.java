package dev.tongxing.adapters;

import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Certificates and keys read from PEM files and read again whenever they change (checked every
 * {@code refresh}), so a rotated certificate takes effect on the next handshake without a restart.
 * Built on grpc-java's {@code AdvancedTls} managers, which swap the material atomically; the
 * checking is ours because their own file watcher waits at least a minute and reloads a key pair
 * only when both files changed (a renewal that keeps its key would never be seen). The same
 * material serves the hub's gRPC listener and its HTTPS and gRPC calls to provinces.
 *
 * @param keys  this side's certificate chain and private key, if it presents one
 * @param trust the CAs this side accepts from its peer; empty means the JDK's default trust
 */
public record TlsFiles(Optional<AdvancedTlsX509KeyManager> keys, Optional<AdvancedTlsX509TrustManager> trust) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TlsFiles.class);

    /** One daemon thread re-reads every file set in the process. */
    private static final ScheduledExecutorService RELOADER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tls-file-reloader");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param certificateChain PEM chain presented to the peer, or null for none
     * @param privateKey       its PKCS#8 PEM key, or null
     * @param trustBundle      PEM CAs accepted from the peer, or null for the JDK's defaults
     * @param checkHostName    whether the peer's name must match its certificate (true for a client
     *                         calling a server; false for a server checking its clients)
     * @throws IllegalArgumentException naming the file that cannot be read
     */
    public static TlsFiles load(String certificateChain, String privateKey, String trustBundle, boolean checkHostName, Duration refresh) {
        Optional<AdvancedTlsX509KeyManager> keys = Optional.empty();
        if (certificateChain != null && !certificateChain.isBlank()) {
            AdvancedTlsX509KeyManager manager = new AdvancedTlsX509KeyManager();
            File chain = new File(certificateChain);
            File key = new File(privateKey);
            try {
                manager.updateIdentityCredentials(chain, key);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read the certificate chain '" + certificateChain + "' with key '" + privateKey
                        + "': " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            watch(refresh, () -> manager.updateIdentityCredentials(chain, key), chain, key);
            keys = Optional.of(manager);
        }
        Optional<AdvancedTlsX509TrustManager> trust = Optional.empty();
        if (trustBundle != null && !trustBundle.isBlank()) {
            try {
                AdvancedTlsX509TrustManager manager = AdvancedTlsX509TrustManager.newBuilder()
                        .setVerification(checkHostName
                                ? AdvancedTlsX509TrustManager.Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION
                                : AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                        .build();
                File bundle = new File(trustBundle);
                manager.updateTrustCredentials(bundle);
                watch(refresh, () -> manager.updateTrustCredentials(bundle), bundle);
                trust = Optional.of(manager);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read the trust bundle '" + trustBundle + "': "
                        + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return new TlsFiles(keys, trust);
    }

    private interface Reload {
        void run() throws IOException, GeneralSecurityException;
    }

    /**
     * Reloads when any of the files changed since the last successful load. A failed load (a file
     * caught half-written, a key not yet matching) keeps the material in use and is retried.
     */
    private static void watch(Duration refresh, Reload reload, File... files) {
        long[] loaded = modified(files);
        RELOADER.scheduleWithFixedDelay(() -> {
            long[] now = modified(files);
            if (java.util.Arrays.equals(now, loaded)) {
                return;
            }
            try {
                reload.run();
                System.arraycopy(now, 0, loaded, 0, now.length);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                LOG.warn("cannot reload {}: {}; keeping the previous material", files[0], e.getClass().getSimpleName());
            }
        }, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static long[] modified(File... files) {
        long[] times = new long[files.length];
        for (int i = 0; i < files.length; i++) {
            times[i] = files[i].lastModified();
        }
        return times;
    }

    /** An SSL context over these managers, for HTTP clients. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            List<KeyManager> keyManagers = new ArrayList<>();
            keys.ifPresent(keyManagers::add);
            context.init(keyManagers.isEmpty() ? null : keyManagers.toArray(KeyManager[]::new),
                    trust.map(manager -> new TrustManager[] {manager}).orElse(null), null);
            return context;
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }
}
