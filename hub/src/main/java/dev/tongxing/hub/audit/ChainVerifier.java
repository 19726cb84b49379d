package dev.tongxing.hub.audit;

import dev.tongxing.api.v1.ReplicaChain;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyAuditChainResponse;
import dev.tongxing.api.v1.VerifyAuditChainResponse.Problem;
import dev.tongxing.hub.lookup.InvalidRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Verifies every replica's chain over a range of sequences, reading the store page by page:
 * each record's hash must be SHA-256 of its predecessor's hash and its own content, sequences must
 * have no gaps, a present personal part must match its digest, every signed head in range must
 * carry a valid signature and match the record it names, and the chain must reach the newest
 * signed head. Replicas are checked in name order and the first problem is reported.
 */
@Component
class ChainVerifier {

    private static final int PAGE = 1000;

    private final AuditStore store;
    private final java.util.Set<String> trustedKeys;

    ChainVerifier(AuditStore store, AuditProperties properties) {
        this.store = store;
        this.trustedKeys = java.util.Set.copyOf(properties.trustedKeys());
    }

    VerifyAuditChainResponse verify(VerifyAuditChainRequest request) {
        if (request.getFromSequence() < 0 || request.getToSequence() < 0) {
            throw new InvalidRequest("from_sequence", "and to_sequence must not be negative");
        }
        long from = Math.max(1, request.getFromSequence());
        long to = request.getToSequence() == 0 ? Long.MAX_VALUE : request.getToSequence();
        if (to < from) {
            throw new InvalidRequest("to_sequence", "is before from_sequence");
        }
        List<String> replicas = request.getReplicaId().isEmpty() ? store.replicas() : List.of(request.getReplicaId());
        VerifyAuditChainResponse.Builder response = VerifyAuditChainResponse.newBuilder();
        long checked = 0;
        for (String replica : replicas) {
            Outcome outcome = verifyReplica(replica, from, to);
            checked += outcome.chain().getRecordsChecked();
            response.addReplicas(outcome.chain());
            if (outcome.problem() != Problem.NONE && response.getProblem() == Problem.PROBLEM_UNSPECIFIED) {
                response.setProblem(outcome.problem())
                        .setFirstBrokenReplicaId(replica)
                        .setFirstBrokenSequence(outcome.sequence())
                        .setDetail(outcome.detail());
            }
        }
        if (response.getProblem() == Problem.PROBLEM_UNSPECIFIED) {
            response.setProblem(Problem.NONE);
        }
        return response.setIntact(response.getProblem() == Problem.NONE).setRecordsChecked(checked).build();
    }

    private Outcome verifyReplica(String replica, long from, long to) {
        ReplicaChain.Builder chain = ReplicaChain.newBuilder().setReplicaId(replica).setLastSequence(store.lastSequence(replica));
        NavigableMap<Long, SignedHead> signed = new TreeMap<>();
        for (SignedHead head : store.signedHeads(replica)) {
            if (!trustedKeys.isEmpty() && !trustedKeys.contains(head.publicKey())) {
                return new Outcome(chain.build(), Problem.BAD_SIGNATURE, head.sequence(),
                        "the signed head at sequence " + head.sequence() + " is signed by a key that is not in tongxing.audit.trusted-keys");
            }
            if (!signatureValid(head)) {
                return new Outcome(chain.build(), Problem.BAD_SIGNATURE, head.sequence(),
                        "the signed head at sequence " + head.sequence() + " does not carry a valid Ed25519 signature");
            }
            signed.put(head.sequence(), head);
        }
        if (!signed.isEmpty()) {
            chain.setLastSignedSequence(signed.lastKey());
        }
        String previous = from == 1 ? AuditHashes.GENESIS : store.hashAt(replica, from - 1);
        long expected = from;
        long count = 0;
        while (expected <= to) {
            List<AuditRow> page = store.chain(replica, expected, to, PAGE);
            for (AuditRow row : page) {
                if (row.sequence() != expected) {
                    return broken(chain, count, Problem.RECORD_MISSING, expected, "record " + expected + " is missing");
                }
                String problem = problemOf(row, previous);
                if (problem != null) {
                    return broken(chain, count, Problem.RECORD_ALTERED, expected, problem);
                }
                SignedHead head = signed.get(row.sequence());
                if (head != null && !head.hash().equals(row.hash())) {
                    return broken(chain, count, Problem.SIGNED_HEAD_MISMATCH, expected,
                            "record " + expected + " differs from the hash the replica signed for it");
                }
                count++;
                previous = row.hash();
                expected++;
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        chain.setRecordsChecked(count);
        long lastSigned = signed.isEmpty() ? 0 : Math.min(signed.lastKey(), to);
        if (lastSigned >= expected) {
            Problem problem = expected <= chain.getLastSequence() ? Problem.RECORD_MISSING : Problem.MISSING_TAIL;
            return new Outcome(chain.build(), problem, expected, problem == Problem.MISSING_TAIL
                    ? "the chain ends at " + (expected - 1) + " but the replica signed a head at " + signed.lastKey()
                    : "record " + expected + " is missing");
        }
        return new Outcome(chain.build(), Problem.NONE, 0, "");
    }

    /** Why this record does not verify after the given hash, or null when it does. */
    private static String problemOf(AuditRow row, String previous) {
        if (previous == null || !previous.equals(row.previousHash())) {
            return "record " + row.sequence() + " does not follow the hash of record " + (row.sequence() - 1);
        }
        if (!AuditHashes.hash(row).equals(row.hash())) {
            return "record " + row.sequence() + " does not match its hash";
        }
        if (row.personalSalt() != null) {
            String digest = AuditHashes.personalDigest(row.personalSalt(), nullToEmpty(row.pseudonym()), nullToEmpty(row.maskedName()));
            if (!digest.equals(row.personalDigest())) {
                return "the personal fields of record " + row.sequence() + " do not match their digest";
            }
        } else if (row.pseudonym() != null || row.maskedName() != null) {
            return "record " + row.sequence() + " has personal fields but no salt";
        }
        return null;
    }

    private static Outcome broken(ReplicaChain.Builder chain, long count, Problem problem, long sequence, String detail) {
        return new Outcome(chain.setRecordsChecked(count).build(), problem, sequence, detail);
    }

    private static boolean signatureValid(SignedHead head) {
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(head.publicKey())));
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(head.signedText().getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(head.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private record Outcome(ReplicaChain chain, Problem problem, long sequence, String detail) {}
}
