package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyAuditChainResponse.Problem;
import dev.tongxing.api.v1.VerifyAuditChainResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Someone with write access to the database edits, deletes, reorders or inserts audit records, or
 * cuts off the newest ones: VerifyAuditChain names the first broken record or the missing tail.
 * Each test writes 20 records with one replica, signs its head and tampers with plain SQL.
 */
class ChainTamperTest {

    static final String REPLICA = "hub-a";

    AuditParts parts;
    HikariDataSource dataSource;

    @BeforeEach
    void twentyRecordsSigned() {
        dataSource = AuditParts.embeddedDatabase();
        parts = new AuditParts(dataSource, REPLICA, Clock.systemUTC());
        List<CompletableFuture<AuditRow>> written = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            written.add(parts.writer.append(AuditParts.lookup(i)));
        }
        CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).join();
        parts.signer.signNow();
    }

    @AfterEach
    void stop() {
        parts.close();
        dataSource.close();
    }

    VerifyAuditChainResponse verify() {
        return parts.verifier.verify(VerifyAuditChainRequest.getDefaultInstance());
    }

    @Test
    void untouchedChainVerifies() {
        VerifyAuditChainResponse verified = verify();
        assertThat(verified.getIntact()).as(verified.getDetail()).isTrue();
        assertThat(verified.getProblem()).isEqualTo(Problem.NONE);
        assertThat(verified.getRecordsChecked()).isEqualTo(20);
        assertThat(verified.getReplicas(0).getLastSignedSequence()).isEqualTo(20);
    }

    @Test
    void editedRecordIsNamed() {
        parts.jdbc.update("UPDATE audit_record SET actor = 'someone-else' WHERE sequence = 7");
        assertBroken(Problem.RECORD_ALTERED, 7);
    }

    @Test
    void editedPersonalFieldIsNamed() {
        parts.jdbc.update("UPDATE audit_record SET masked_name = '李*' WHERE sequence = 9");
        assertBroken(Problem.RECORD_ALTERED, 9);
    }

    @Test
    void deletedRecordIsNamed() {
        parts.jdbc.update("DELETE FROM audit_record WHERE sequence = 5");
        assertBroken(Problem.RECORD_MISSING, 5);
    }

    @Test
    void reorderedRecordsAreNamed() {
        parts.jdbc.update("UPDATE audit_record SET sequence = -1 WHERE sequence = 11");
        parts.jdbc.update("UPDATE audit_record SET sequence = 11 WHERE sequence = 12");
        parts.jdbc.update("UPDATE audit_record SET sequence = 12 WHERE sequence = -1");
        assertBroken(Problem.RECORD_ALTERED, 11);
    }

    @Test
    void insertedRecordIsNamed() {
        parts.jdbc.update("UPDATE audit_record SET sequence = sequence + 1000 WHERE sequence >= 14");
        parts.jdbc.update("UPDATE audit_record SET sequence = sequence - 999 WHERE sequence >= 1014");
        parts.jdbc.update("""
                INSERT INTO audit_record (replica_id, sequence, kind, recorded_at_us, method, actor, caller_roles, caller_province,
                    personal_digest, traveler_province, sources, provenance, summary, verdict, reason, trace_id, previous_hash, hash)
                SELECT replica_id, 14, kind, recorded_at_us, method, 'forged', caller_roles, caller_province, personal_digest,
                    traveler_province, sources, provenance, summary, 'PASS', reason, 'forged-trace', hash, hash
                FROM audit_record WHERE sequence = 13""");
        assertBroken(Problem.RECORD_ALTERED, 14);
    }

    @Test
    void truncatedTailIsNamed() {
        parts.jdbc.update("DELETE FROM audit_record WHERE sequence > 16");
        VerifyAuditChainResponse verified = assertBroken(Problem.MISSING_TAIL, 17);
        assertThat(verified.getDetail()).contains("ends at 16").contains("signed a head at 20");
    }

    @Test
    void rewrittenAndRehashedChainDoesNotMatchItsSignedHead() {
        // A forger who recomputes every hash after an edit still cannot match the signed head.
        List<AuditRow> rows = parts.store.chain(REPLICA, 1, 20, 100);
        parts.jdbc.update("DELETE FROM audit_record");
        String previous = AuditHashes.GENESIS;
        List<AuditRow> forged = new ArrayList<>();
        for (AuditRow row : rows) {
            AuditRow edited = new AuditRow(row.replicaId(), row.sequence(), row.kind(), row.recordedAtMicros(), row.method(),
                    row.sequence() == 3 ? "forged" : row.actor(), row.callerRoles(), row.callerProvince(), row.pseudonym(),
                    row.maskedName(), row.personalSalt(), row.personalDigest(), row.travelerProvince(), row.sources(),
                    row.provenance(), row.summary(), row.verdict(), row.reason(), row.traceId(), previous, "");
            String hash = AuditHashes.hash(edited);
            forged.add(new AuditRow(edited.replicaId(), edited.sequence(), edited.kind(), edited.recordedAtMicros(), edited.method(),
                    edited.actor(), edited.callerRoles(), edited.callerProvince(), edited.pseudonym(), edited.maskedName(),
                    edited.personalSalt(), edited.personalDigest(), edited.travelerProvince(), edited.sources(), edited.provenance(),
                    edited.summary(), edited.verdict(), edited.reason(), edited.traceId(), previous, hash));
            previous = hash;
        }
        parts.store.append(forged);
        assertBroken(Problem.SIGNED_HEAD_MISMATCH, 20);
    }

    @Test
    void forgedSignatureIsNamed() {
        parts.jdbc.update("UPDATE audit_signed_head SET hash = '" + "f".repeat(64) + "'");
        assertBroken(Problem.BAD_SIGNATURE, 20);
    }

    @Test
    void aHeadSignedWithAnUntrustedKeyIsNamed() {
        String key = parts.signer.publicKey();
        try (AuditParts pinned = new AuditParts(dataSource, "hub-b", Clock.systemUTC(), 10, List.of(key))) {
            assertThat(pinned.verifier.verify(VerifyAuditChainRequest.getDefaultInstance()).getIntact()).isTrue();
        }
        // A forger re-signs the heads with a key of their own: valid signatures, but not a trusted key.
        try (AuditParts forger = new AuditParts(dataSource, REPLICA + "-forger", Clock.systemUTC(), 10, List.of(key))) {
            forger.writer.append(AuditParts.lookup(99)).join();
            forger.signer.signNow();
            VerifyAuditChainResponse verified = forger.verifier.verify(VerifyAuditChainRequest.getDefaultInstance());
            assertThat(verified.getProblem()).isEqualTo(Problem.BAD_SIGNATURE);
            assertThat(verified.getFirstBrokenReplicaId()).isEqualTo(REPLICA + "-forger");
            assertThat(verified.getDetail()).contains("tongxing.audit.trusted-keys");
        }
    }

    @Test
    void aRangeVerifiesOnItsOwnAnchoredOnTheRecordBefore() {
        parts.jdbc.update("UPDATE audit_record SET actor = 'someone-else' WHERE sequence = 3");
        VerifyAuditChainResponse later = parts.verifier.verify(VerifyAuditChainRequest.newBuilder().setFromSequence(5).setToSequence(20).build());
        assertThat(later.getIntact()).as(later.getDetail()).isTrue();
        assertThat(later.getRecordsChecked()).isEqualTo(16);
        VerifyAuditChainResponse early = parts.verifier.verify(VerifyAuditChainRequest.newBuilder().setToSequence(4).build());
        assertThat(early.getFirstBrokenSequence()).isEqualTo(3);
    }

    private VerifyAuditChainResponse assertBroken(Problem problem, long sequence) {
        VerifyAuditChainResponse verified = verify();
        assertThat(verified.getIntact()).isFalse();
        assertThat(verified.getProblem()).as(verified.getDetail()).isEqualTo(problem);
        assertThat(verified.getFirstBrokenReplicaId()).isEqualTo(REPLICA);
        assertThat(verified.getFirstBrokenSequence()).isEqualTo(sequence);
        return verified;
    }
}
