package dev.tongxing.api.offline;

import com.nimbusds.jose.jwk.Curve;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The P-256 keys of ES256, read from configuration text: public keys as X.509
 * SubjectPublicKeyInfo, private keys as PKCS#8, each DER in base64 or PEM. Anything else (another
 * curve, an RSA key, garbage) is refused with a message that says which.
 */
public final class EcKeys {

    private EcKeys() {}

    /** @throws IllegalArgumentException when the text is not a P-256 public key */
    public static ECPublicKey publicKey(String text) {
        try {
            if (KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der(text))) instanceof ECPublicKey key
                    && Curve.P_256.equals(Curve.forECParameterSpec(key.getParams()))) {
                return key;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("is not an EC public key (X.509 SubjectPublicKeyInfo, base64 or PEM)");
        }
        throw new IllegalArgumentException("is not a P-256 key (ES256 needs the P-256 curve)");
    }

    /** @throws IllegalArgumentException when the text is not a P-256 private key */
    public static ECPrivateKey privateKey(String text) {
        try {
            if (KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(text))) instanceof ECPrivateKey key
                    && Curve.P_256.equals(Curve.forECParameterSpec(key.getParams()))) {
                return key;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("is not an EC private key (PKCS#8, base64 or PEM)");
        }
        throw new IllegalArgumentException("is not a P-256 key (ES256 needs the P-256 curve)");
    }

    /** A fresh P-256 key pair, for tests and for keys generated per run. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make P-256 keys", e);
        }
    }

    /** Base64 of a key's standard encoding (SPKI for public keys, PKCS#8 for private ones), as configuration takes it. */
    public static String encode(java.security.Key key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    private static byte[] der(String text) {
        String body = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
