package dev.tongxing.hub.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The chain's arithmetic, shared by the writer and the verifier so they cannot drift apart.
 *
 * <p>hash = SHA-256(previous hash || canonical content). The canonical content is every field of
 * the record except the personal part itself, each written as its UTF-8 length and bytes, so no
 * two different records share an encoding. The personal part enters only through
 * {@code personal_digest} = SHA-256(salt || pseudonym || masked name): retention deletes the
 * personal fields and the salt, and the chain still verifies. The random per-record salt keeps the
 * digests of one traveler's records from linking them once the pseudonym is gone.
 */
final class AuditHashes {

    static final String GENESIS = "0".repeat(64);

    /**
     * One digest per thread, reset by every {@code digest()}: the writer hashes each record twice,
     * and looking the algorithm up per hash was a share of its garbage.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(AuditHashes::newSha256);

    private AuditHashes() {}

    static String personalDigest(String salt, String pseudonym, String maskedName) {
        MessageDigest sha = sha256();
        field(sha, salt);
        field(sha, pseudonym);
        field(sha, maskedName);
        return HexFormat.of().formatHex(sha.digest());
    }

    static String hash(AuditRow row) {
        MessageDigest sha = sha256();
        sha.update(row.previousHash().getBytes(StandardCharsets.US_ASCII));
        field(sha, row.replicaId());
        field(sha, Long.toString(row.sequence()));
        field(sha, row.kind().name());
        field(sha, Long.toString(row.recordedAtMicros()));
        field(sha, row.method());
        field(sha, row.actor());
        list(sha, row.callerRoles());
        field(sha, row.callerProvince());
        field(sha, row.personalDigest());
        field(sha, row.travelerProvince());
        list(sha, row.sources());
        list(sha, row.provenance());
        field(sha, row.summary());
        field(sha, row.verdict());
        field(sha, row.reason());
        field(sha, row.traceId());
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void list(MessageDigest sha, List<String> values) {
        field(sha, Integer.toString(values.size()));
        values.forEach(value -> field(sha, value));
    }

    private static void field(MessageDigest sha, String value) {
        byte[] bytes = (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
        int length = bytes.length;
        sha.update((byte) (length >>> 24));
        sha.update((byte) (length >>> 16));
        sha.update((byte) (length >>> 8));
        sha.update((byte) length);
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        MessageDigest sha = SHA_256.get();
        sha.reset();
        return sha;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
