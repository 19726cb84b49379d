package dev.tongxing.hub.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for the mutual-TLS tests: it issues the hub's server
 * certificate and provinces' client certificates (each naming its province as a subject
 * alternative name URI), written as PEM files the way an operator would deploy them.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Path directory;
    private final String caName;
    private final KeyPair caKeys;
    private final X509Certificate ca;

    public TestCertificates(Path directory, String caName) {
        this.directory = directory;
        this.caName = caName;
        this.caKeys = newKeys();
        this.ca = sign(new X500Name("CN=" + caName), caKeys, caKeys, new X500Name("CN=" + caName), true, List.of());
        write(directory.resolve(caName + ".pem"), ca);
    }

    /** The CA's PEM bundle, for trust settings. */
    public Path caFile() {
        return directory.resolve(caName + ".pem");
    }

    public X509Certificate ca() {
        return ca;
    }

    /** A server certificate for 127.0.0.1 and localhost. */
    public Issued server(String name) {
        return issue(name, List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")));
    }

    /** A province system's client certificate naming its province ({@code urn:tongxing:province:NN}). */
    public Issued province(String name, String province) {
        return issue(name, List.of(new GeneralName(GeneralName.uniformResourceIdentifier, "urn:tongxing:province:" + province)));
    }

    /** A client certificate naming no province. */
    public Issued client(String name) {
        return issue(name, List.of(new GeneralName(GeneralName.dNSName, name)));
    }

    private Issued issue(String name, List<GeneralName> alternativeNames) {
        KeyPair keys = newKeys();
        X509Certificate certificate = sign(new X500Name("CN=" + caName), caKeys, keys,
                new X500Name("CN=" + name), false, alternativeNames);
        Path chain = directory.resolve(name + ".crt.pem");
        Path key = directory.resolve(name + ".key.pem");
        write(chain, certificate);
        try {
            write(key, new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null));
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException(e);
        }
        return new Issued(certificate, keys, chain, key);
    }

    /**
     * @param chain PEM file with the certificate
     * @param key   PEM file with its PKCS#8 private key
     */
    public record Issued(X509Certificate certificate, KeyPair keys, Path chain, Path key) {

        /** The same certificate and key in a PKCS#12 key store, for servers that want one (WireMock). */
        public Path pkcs12(Path file, String password, X509Certificate ca) {
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("key", keys.getPrivate(), password.toCharArray(), new Certificate[] {certificate, ca});
                try (OutputStream out = Files.newOutputStream(file)) {
                    store.store(out, password.toCharArray());
                }
                return file;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A PKCS#12 trust store holding only this CA. */
    public Path trustStore(Path file, String password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", ca);
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return file;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name issuer, KeyPair issuerKeys, KeyPair subjectKeys, X500Name subject, boolean isCa,
                                        List<GeneralName> alternativeNames) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(2))), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(isCa
                    ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (!alternativeNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternativeNames.toArray(GeneralName[]::new)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, Object pemObject) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(pemObject);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            // Replace atomically, as a deployment tool would, so a reload never reads half a file.
            Path partial = Files.createTempFile(file.getParent(), "partial", ".pem");
            Files.writeString(partial, text.toString());
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
