package dev.tongxing.hub.audit;

/**
 * A replica's signature over its chain head.
 *
 * @param publicKey X.509 SubjectPublicKeyInfo of the Ed25519 key, base64
 * @param signature Ed25519 signature over {@link #signedText()}, base64
 */
record SignedHead(String replicaId, long sequence, String hash, long signedAtMicros, String publicKey, String signature) {

    /** Exactly what is signed: a fixed prefix, so the key signs nothing else by accident. */
    String signedText() {
        return signedText(replicaId, sequence, hash, signedAtMicros);
    }

    static String signedText(String replicaId, long sequence, String hash, long signedAtMicros) {
        return "tongxing-audit-head-v1|" + replicaId + "|" + sequence + "|" + hash + "|" + signedAtMicros;
    }
}
