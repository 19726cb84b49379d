package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyAuditChainResponse;
import dev.tongxing.api.v1.VerifyAuditChainResponse.Problem;
import dev.tongxing.localpostgres.LocalPostgres;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log on a real PostgreSQL server: the same migrations as H2, and two replicas sharing
 * one database each keep a chain of their own that verifies.
 */
class PostgresAuditTest {

    static LocalPostgres postgres;
    static DataSource database;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = LocalPostgres.start();
        database = postgres.newDatabase("audit_test");
        AuditStorage.migrate(database);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void twoReplicasSharingOneDatabaseWriteTwoChainsThatBothVerify() throws Exception {
        try (AuditParts east = new AuditParts(database, "hub-east", Clock.systemUTC());
             AuditParts west = new AuditParts(database, "hub-west", Clock.systemUTC())) {
            List<CompletableFuture<AuditRow>> written = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                written.add((i % 2 == 0 ? east : west).writer.append(AuditParts.lookup(i)));
            }
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).join();
            east.signer.signNow();
            west.signer.signNow();

            VerifyAuditChainResponse verified = east.verifier.verify(VerifyAuditChainRequest.getDefaultInstance());
            assertThat(verified.getIntact()).as(verified.getDetail()).isTrue();
            assertThat(verified.getRecordsChecked()).isEqualTo(300);
            assertThat(verified.getReplicasList()).extracting(chain -> chain.getReplicaId() + ":" + chain.getLastSequence() + "/" + chain.getLastSignedSequence())
                    .containsExactly("hub-east:150/150", "hub-west:150/150");

            // Keyset pages over both chains, oldest first, with nothing lost or repeated.
            List<AuditRow> all = new ArrayList<>();
            AuditCursor after = null;
            while (true) {
                List<AuditRow> page = east.store.page(AuditFilter.everything(), after, 70);
                all.addAll(page);
                if (page.size() < 70) {
                    break;
                }
                after = page.get(page.size() - 1).cursor();
            }
            assertThat(all).hasSize(300);
            assertThat(all).extracting(AuditRow::traceId).doesNotHaveDuplicates();
            AuditFilter bySource = new AuditFilter(Optional.empty(), Optional.empty(), "", Optional.of(AuditRecord.Kind.LOOKUP),
                    "checkpoint-1", "61", "travel-card", "PASS");
            assertThat(east.store.page(bySource, null, 1000)).hasSize(100);

            // The same tampering is caught on PostgreSQL.
            east.jdbc.update("UPDATE audit_record SET verdict = 'STOP' WHERE replica_id = 'hub-west' AND sequence = 77");
            VerifyAuditChainResponse tampered = east.verifier.verify(VerifyAuditChainRequest.getDefaultInstance());
            assertThat(tampered.getProblem()).isEqualTo(Problem.RECORD_ALTERED);
            assertThat(tampered.getFirstBrokenReplicaId()).isEqualTo("hub-west");
            assertThat(tampered.getFirstBrokenSequence()).isEqualTo(77);
        }
    }
}
