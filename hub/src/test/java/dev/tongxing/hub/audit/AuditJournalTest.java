package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tongxing.api.v1.VerifyAuditChainRequest;
import dev.tongxing.api.v1.VerifyAuditChainResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * With the journal on, a record is durable once journaled: answers go out while the store is
 * down, the copier brings the store level when it returns, a later start copies what a stopped
 * process left (ignoring a torn last frame), and a journal that cannot be written refuses.
 */
class AuditJournalTest {

    @TempDir
    Path journalDir;

    HikariDataSource store;

    @BeforeEach
    void store() {
        store = AuditParts.embeddedDatabase();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    AuditParts start(String replica, DataSize segmentSize) {
        return new AuditParts(store, replica, Clock.systemUTC(), 1000, List.of(),
                new AuditProperties.Journal(true, journalDir.toString(), true, segmentSize, 50, Duration.ofMillis(20), 10_000));
    }

    static void appendAll(AuditParts parts, int from, int to) {
        List<CompletableFuture<AuditRow>> written = new ArrayList<>();
        for (int i = from; i < to; i++) {
            written.add(parts.writer.append(AuditParts.lookup(i)));
        }
        CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).join();
    }

    static int stored(AuditParts parts, String replica) {
        return parts.jdbc.queryForObject("SELECT COUNT(*) FROM audit_record WHERE replica_id = ?", Integer.class, replica);
    }

    static void assertIntact(AuditParts parts, long records) {
        parts.signer.signNow();
        VerifyAuditChainResponse verified = parts.verifier.verify(VerifyAuditChainRequest.getDefaultInstance());
        assertThat(verified.getIntact()).as(verified.getDetail()).isTrue();
        assertThat(verified.getRecordsChecked()).isEqualTo(records);
    }

    List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(journalDir)) {
            return files.filter(path -> path.toString().endsWith(AuditJournal.SUFFIX)).sorted().toList();
        }
    }

    List<Path> spares(String replica) throws IOException {
        try (Stream<Path> files = Files.list(journalDir)) {
            return files.filter(path -> path.getFileName().toString().startsWith(replica + ".spare-")).sorted().toList();
        }
    }

    @Test
    void journaledRecordsReachTheStoreAndCopiedSegmentsAreRecycledOrDeleted() throws IOException {
        try (AuditParts parts = start("hub-j", DataSize.ofKilobytes(8))) {
            appendAll(parts, 0, 600);
            assertThat(parts.writer.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(stored(parts, "hub-j")).isEqualTo(600);
            assertThat(parts.writer.copyBacklog()).isZero();
            // 8 KB segments: many were written, and all but the one being written were recycled or deleted once copied.
            assertThat(segments()).hasSize(1);
            assertThat(spares("hub-j")).hasSizeLessThanOrEqualTo(AuditJournal.MAX_SPARES);
            assertIntact(parts, 600);

            // A second writer on the same directory leaves the live segment alone.
            try (AuditParts other = start("hub-k", DataSize.ofKilobytes(8))) {
                appendAll(other, 0, 10);
                assertThat(other.writer.awaitStored(Duration.ofSeconds(10))).isTrue();
            }
            appendAll(parts, 600, 610);
            assertThat(parts.writer.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertThat(stored(parts, "hub-j")).isEqualTo(610);
        }
        assertThat(segments()).as("a clean stop leaves nothing to recover").isEmpty();
    }

    @Test
    void answersGoOutWhileTheStoreIsDownAndItsRecordsArriveWhenItReturns() {
        try (AuditParts parts = start("hub-o", DataSize.ofMegabytes(1))) {
            appendAll(parts, 0, 5);
            assertThat(parts.writer.awaitStored(Duration.ofSeconds(10))).isTrue();
            parts.jdbc.execute("ALTER TABLE audit_record RENAME TO audit_record_away");
            appendAll(parts, 5, 100);
            assertThat(parts.writer.awaitStored(Duration.ofMillis(300))).isFalse();
            assertThat(parts.writer.copyBacklog()).isEqualTo(95);
            parts.jdbc.execute("ALTER TABLE audit_record_away RENAME TO audit_record");
            assertThat(parts.writer.awaitStored(Duration.ofSeconds(15))).isTrue();
            assertThat(stored(parts, "hub-o")).isEqualTo(100);
            assertIntact(parts, 100);
        }
    }

    @Test
    void theNextStartCopiesWhatAStoppedProcessLeftAndIgnoresATornLastFrame() throws IOException {
        AuditParts first = start("hub-c", DataSize.ofMegabytes(1));
        appendAll(first, 0, 10);
        assertThat(first.writer.awaitStored(Duration.ofSeconds(10))).isTrue();
        first.jdbc.execute("ALTER TABLE audit_record RENAME TO audit_record_away");
        appendAll(first, 10, 250);
        first.close(); // the store is down: 240 acknowledged records exist only in the journal
        first.jdbc.execute("ALTER TABLE audit_record_away RENAME TO audit_record");
        assertThat(stored(first, "hub-c")).isEqualTo(10);
        List<Path> left = segments();
        assertThat(left).hasSize(1);
        // A group whose write the kill cut short, over the end mark the last whole group left behind
        // its records: a frame header promising more than follows.
        try (FileChannel segment = FileChannel.open(left.get(0), StandardOpenOption.WRITE)) {
            segment.write(ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 9, 9}), segment.size() - JournalCodec.HEADER);
        }

        try (AuditParts second = start("hub-c", DataSize.ofMegabytes(1))) {
            assertThat(stored(second, "hub-c")).as("copied before the writer accepts anything").isEqualTo(250);
            assertThat(segments()).doesNotContain(left.get(0));
            assertThat(second.writer.append(AuditParts.lookup(250)).join().sequence()).isEqualTo(251);
            assertThat(second.writer.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertIntact(second, 251);
        }
    }

    @Test
    void aRecycledSegmentIsRecoveredUpToItsOwnRecordsNotTheCopiedOnesItWasWrittenOver() throws IOException {
        AuditParts first = start("hub-r", DataSize.ofKilobytes(8));
        for (int from = 0; from < 300; from += 10) {
            appendAll(first, from, from + 10); // groups smaller than a segment: segments fill, are copied and recycled
        }
        assertThat(first.writer.awaitStored(Duration.ofSeconds(10))).isTrue();
        List<Path> spares = spares("hub-r");
        assertThat(spares).isNotEmpty();
        List<Long> spareSizes = new ArrayList<>();
        for (Path spare : spares) {
            spareSizes.add(Files.size(spare));
        }
        first.jdbc.execute("ALTER TABLE audit_record RENAME TO audit_record_away");
        // Groups until the writer moves on into a spare: that group alone is in it, far less than it held.
        int written = 300;
        int segmentsBefore = segments().size();
        while (segments().size() == segmentsBefore) {
            appendAll(first, written, written + 10);
            written += 10;
        }
        first.close();
        first.jdbc.execute("ALTER TABLE audit_record_away RENAME TO audit_record");
        assertThat(spares("hub-r")).as("a spare was written over").doesNotContain(spares.getFirst());
        Path reused = segments().getLast();
        assertThat(spareSizes).as("the last segment is a spare's file, its earlier records behind the new ones").contains(Files.size(reused));

        try (AuditParts second = start("hub-r", DataSize.ofKilobytes(8))) {
            assertThat(stored(second, "hub-r")).isEqualTo(written);
            assertThat(second.writer.append(AuditParts.lookup(written)).join().sequence()).isEqualTo(written + 1);
            assertThat(second.writer.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertIntact(second, written + 1);
        }
    }

    @Test
    void aStartWhoseHeadWasSignedBeforeTheStopSignsOnlyNewHeads() {
        try (AuditParts first = start("hub-s", DataSize.ofMegabytes(1))) {
            appendAll(first, 0, 20);
            first.signer.signNow(); // then killed: the head it signed is the head the next start resumes
        }
        try (AuditParts second = start("hub-s", DataSize.ofMegabytes(1))) {
            // Signing the same head again would break the one-signature-per-sequence key and fail on every tick.
            second.signer.signNow();
            assertThat(signedSequences(second, "hub-s")).containsExactly(20L);
            appendAll(second, 20, 25);
            second.signer.signNow();
            assertThat(signedSequences(second, "hub-s")).containsExactly(20L, 25L);
            assertIntact(second, 25);
        }
    }

    static List<Long> signedSequences(AuditParts parts, String replica) {
        return parts.jdbc.queryForList("SELECT sequence FROM audit_signed_head WHERE replica_id = ? ORDER BY sequence", Long.class, replica);
    }

    @Test
    void aJournalThatCannotBeWrittenRefusesUntilItCanAgain() throws IOException {
        // One byte per segment: every group opens a new file, so a missing directory fails the next one.
        try (AuditParts parts = start("hub-f", DataSize.ofBytes(1))) {
            appendAll(parts, 0, 3);
            assertThat(parts.writer.awaitStored(Duration.ofSeconds(10))).isTrue();
            try (Stream<Path> files = Files.list(journalDir)) {
                for (Path file : files.toList()) {
                    Files.delete(file); // segments and the spares kept for reuse
                }
            }
            Files.delete(journalDir);
            assertThatThrownBy(() -> parts.writer.append(AuditParts.lookup(3)).join()).hasCauseInstanceOf(AuditUnavailable.class);
            Files.createDirectories(journalDir);
            assertThat(parts.writer.append(AuditParts.lookup(4)).join().sequence()).isEqualTo(4);
            assertThat(parts.writer.awaitStored(Duration.ofSeconds(10))).isTrue();
            assertIntact(parts, 4);
        }
    }
}
