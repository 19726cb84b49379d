package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tongxing.api.v1.AuditQuery;
import dev.tongxing.api.v1.AuditRecord;
import dev.tongxing.api.v1.AuditServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * QueryAudit streams a million records over a real gRPC channel on loopback in a heap far smaller
 * than the result (about 600 MB as records): the stream must hold one page at a time and wait for
 * the client. Runs in a surefire execution of its own with {@code -Xmx64m} (the hub's pom), so
 * buffering the result fails the build with OutOfMemoryError.
 */
@EnabledIfSystemProperty(named = "tongxing.bounded-heap", matches = "true")
class AuditQueryBoundedHeapTest {

    static final int RECORDS = Integer.getInteger("tongxing.audit.bounded-heap.records", 1_000_000);
    static final long HEAP_LIMIT = 64L * 1024 * 1024;

    @Test
    void streamsAMillionRecordsInASmallHeap(@TempDir Path storeDir) throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("max heap of this JVM (the bounded-heap execution sets -Xmx64m)")
                .isLessThanOrEqualTo(HEAP_LIMIT);
        // The store is about 1 GB: it goes with the test, so the suite does not fill a CI disk. The
        // embedded store's page cache is native memory, not heap.
        HikariDataSource database = EmbeddedAuditStore.open(storeDir.resolve("audit.db"));
        JdbcTemplate jdbc = new JdbcTemplate(database);
        // Rows made by SQL: the chain does not matter to a query.
        jdbc.update("""
                WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < ?)
                INSERT INTO audit_record (replica_id, sequence, kind, recorded_at_us, method, actor, caller_roles, caller_province,
                    traveler_pseudonym, masked_name, personal_salt, personal_digest, traveler_province, sources, provenance, summary,
                    verdict, reason, trace_id, previous_hash, hash)
                SELECT 'hub-m', x, 'LOOKUP', 1763900000000000 + x, 'tongxing.v1.TravelerStatusService/GetStatus', 'gate-1', 'checkpoint', '61',
                    printf('%064d', x), '王*', ?, ?, '61',
                    'shaanxi-ymt' || char(10) || 'travel-card', 'health_code=LIVE:shaanxi-ymt age=0s' || char(10) || 'travel_card=LIVE:travel-card age=0s',
                    'health_code=GREEN travel_card=TRAVEL_GREEN', 'PASS', '', printf('%032d', x), ?, ?
                FROM n""", RECORDS, "a".repeat(32), "b".repeat(64), "c".repeat(64), "d".repeat(64));
        AuditStore store = new AuditStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(database)));
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new AuditServiceGrpc.AuditServiceImplBase() {
                    @Override
                    public void queryAudit(AuditQuery query, StreamObserver<AuditRecord> response) {
                        new AuditQueryStream((ServerCallStreamObserver<AuditRecord>) response, store, AuditFilter.everything(), null, 500,
                                Long.MAX_VALUE).start();
                    }
                }).build().start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        try {
            long start = System.nanoTime();
            // The asynchronous stub asks for one more record as each arrives, as the blocking one does,
            // without waking a waiting thread for each: a million records took 33 s instead of 89 s here,
            // and the server's flow control is what this test is about.
            StreamCount counted = new StreamCount();
            AuditServiceGrpc.newStub(channel).queryAudit(AuditQuery.getDefaultInstance(), counted);
            long count = counted.await();
            double seconds = (System.nanoTime() - start) / 1e9;
            Runtime runtime = Runtime.getRuntime();
            System.out.printf("QueryAudit streamed %,d records in %.1f s (%,.0f records/s) with -Xmx%d MB%n",
                    count, seconds, count / seconds, runtime.maxMemory() / (1024 * 1024));
            try (Stream<Path> files = Files.walk(storeDir)) {
                System.out.printf("store on disk: %,d MB%n", files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum() >> 20);
            }
            assertThat(count).isEqualTo(RECORDS);
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
            database.close();
        }
    }

    /** Counts a stream's records, checking that they come in order. */
    private static final class StreamCount implements StreamObserver<AuditRecord> {
        private final CompletableFuture<Long> done = new CompletableFuture<>();
        private long count;
        private long previous;

        @Override
        public void onNext(AuditRecord record) {
            if (record.getSequence() <= previous) {
                done.completeExceptionally(new AssertionError("record " + record.getSequence() + " came after " + previous));
            }
            previous = record.getSequence();
            count++;
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void onCompleted() {
            done.complete(count);
        }

        long await() throws Exception {
            return done.get();
        }
    }
}
