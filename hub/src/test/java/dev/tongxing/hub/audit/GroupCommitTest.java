package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyAuditChainResponse;
import io.grpc.netty.shaded.io.netty.channel.DefaultEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many concurrent answers share commits, each future completes only after its record is stored, and the chain stays whole. */
class GroupCommitTest {

    HikariDataSource store;
    AuditParts parts;

    @BeforeEach
    void store() {
        store = AuditParts.embeddedDatabase();
        parts = new AuditParts(store, "hub-g", Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        parts.close();
        store.close();
    }

    @Test
    void concurrentAppendsShareCommitsAndEachGetsItsOwnRecordStoredWhenItsFutureCompletes() throws Exception {
        int callers = 16;
        int each = 250;
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(callers)) {
            for (int c = 0; c < callers; c++) {
                int caller = c;
                results.add(threads.submit(() -> {
                    List<CompletableFuture<AuditRow>> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(parts.writer.append(AuditParts.lookup(caller * each + i)));
                    }
                    boolean allStored = true;
                    for (int i = 0; i < each; i++) {
                        AuditRow row = mine.get(i).join();
                        // Its own record, not another of the group's: answers are released in parts.
                        allStored &= row.traceId().equals(AuditParts.lookup(caller * each + i).traceId());
                        allStored &= row.hash().equals(parts.store.hashAt("hub-g", row.sequence()));
                    }
                    return allStored;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }
        assertThat(parts.writer.recorded()).isEqualTo(callers * each);
        assertThat(parts.writer.commits()).isLessThan(callers * each);
        VerifyAuditChainResponse verified = parts.verifier.verify(VerifyAuditChainRequest.getDefaultInstance());
        assertThat(verified.getIntact()).as(verified.getDetail()).isTrue();
        assertThat(verified.getRecordsChecked()).isEqualTo(callers * each);
    }

    @Test
    void aCallServedOnATransportThreadIsReleasedOnThatThreadAndOthersOnTheCompletionThreads() throws Exception {
        EventLoopGroup transport = new DefaultEventLoopGroup(1, new DefaultThreadFactory("test-transport", true));
        try {
            List<CompletableFuture<String>> onTransport = transport.submit(() -> {
                List<CompletableFuture<String>> released = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    released.add(parts.writer.appendForCall(AuditParts.lookup(i)).thenApply(row -> Thread.currentThread().getName()));
                }
                return released;
            }).get();
            CompletableFuture<String> elsewhere = parts.writer.appendForCall(AuditParts.lookup(20)).thenApply(row -> Thread.currentThread().getName());
            CompletableFuture<String> waitable = transport.submit(() -> parts.writer.append(AuditParts.lookup(21))
                    .thenApply(row -> Thread.currentThread().getName())).get();

            for (CompletableFuture<String> released : onTransport) {
                assertThat(released.get(10, TimeUnit.SECONDS)).startsWith("test-transport");
            }
            assertThat(elsewhere.get(10, TimeUnit.SECONDS)).doesNotStartWith("test-transport");
            assertThat(waitable.get(10, TimeUnit.SECONDS)).as("append completes off the transport, so it may be waited for there")
                    .doesNotStartWith("test-transport");
        } finally {
            transport.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRecordWithoutCompanyIsCommittedAtOnceWhateverTheGroupWait() {
        Duration groupWait = Duration.ofMillis(20);
        int records = 50;
        try (AuditParts gathering = new AuditParts(store, "hub-w", Clock.systemUTC(), 1000, List.of(), AuditProperties.Journal.OFF,
                groupWait)) {
            long started = System.nanoTime();
            for (int i = 0; i < records; i++) {
                gathering.writer.append(AuditParts.lookup(i)).join();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            // Each record waited for alone: had the writer let each gather, this would take a full second at least.
            assertThat(took).isLessThan(groupWait.multipliedBy(records));
            assertThat(gathering.writer.commits()).isEqualTo(records);
        }
    }

    @Test
    void aStoppedWriterRefusesInsteadOfDroppingRecords() {
        parts.writer.stop();
        assertThatThrownBy(() -> parts.writer.append(AuditParts.lookup(1)).join()).hasCauseInstanceOf(AuditUnavailable.class);
    }

    @Test
    void afterAFailedCommitTheChainContinuesFromWhatWasStored() {
        parts.writer.append(AuditParts.lookup(1)).join();
        parts.jdbc.execute("ALTER TABLE audit_record RENAME TO audit_record_away");
        assertThatThrownBy(() -> parts.writer.append(AuditParts.lookup(2)).join()).hasCauseInstanceOf(AuditUnavailable.class);
        parts.jdbc.execute("ALTER TABLE audit_record_away RENAME TO audit_record");
        assertThat(parts.writer.append(AuditParts.lookup(3)).join().sequence()).isEqualTo(2);
        assertThat(parts.verifier.verify(VerifyAuditChainRequest.getDefaultInstance()).getIntact()).isTrue();
    }
}
