package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.AuditRecord;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A group waiting for the copier is held as the journal's frames and reads back as the same records. */
class JournaledGroupTest {

    @Test
    void readsBackEveryRecordOfTheGroupExactly() {
        List<AuditRow> rows = LongStream.rangeClosed(41, 45).mapToObj(JournaledGroupTest::row).toList();
        JournaledGroup group = JournaledGroup.of(framed(rows), rows);

        assertThat(group.rows()).isEqualTo(5);
        assertThat(group.newest()).isEqualTo(new ChainHead("hub-a", 45, "hash-45"));
        assertThat(group.decode(0)).containsExactlyElementsOf(rows);
    }

    @Test
    void skipsRecordsTheStoreAlreadyHolds() {
        List<AuditRow> rows = LongStream.rangeClosed(41, 45).mapToObj(JournaledGroupTest::row).toList();
        JournaledGroup group = JournaledGroup.of(framed(rows), rows);

        assertThat(group.decode(43)).extracting(AuditRow::sequence).containsExactly(44L, 45L);
        assertThat(group.decode(45)).isEmpty();
    }

    @Test
    void keepsItsOwnCopyOfTheFramesWhenTheJournalsBufferIsReused() {
        JournalCodec.Framer framer = new JournalCodec.Framer();
        List<AuditRow> first = List.of(row(1), row(2));
        ByteBuffer written = framer.frames(first);
        JournaledGroup group = JournaledGroup.of(Arrays.copyOf(written.array(), written.limit()), first);
        framer.frames(List.of(row(7), row(8), row(9)));

        assertThat(group.decode(0)).containsExactlyElementsOf(first);
    }

    private static byte[] framed(List<AuditRow> rows) {
        ByteBuffer frames = new JournalCodec.Framer().frames(rows);
        return Arrays.copyOf(frames.array(), frames.limit());
    }

    private static AuditRow row(long sequence) {
        return new AuditRow("hub-a", sequence, AuditRecord.Kind.LOOKUP, 1_700_000_000_000_000L + sequence,
                "tongxing.v1.TravelerStatusService/GetStatus", "checkpoint-xian-north", List.of("checkpoint"), "61",
                sequence % 2 == 0 ? "pseudonym-" + sequence : null, "张*", "salt-" + sequence, "digest-" + sequence, "61",
                List.of("shaanxi-ymt", "travel-card"), List.of("CACHED", "LIVE"), "GREEN", "PASS", "", "trace-" + sequence,
                "hash-" + (sequence - 1), "hash-" + sequence);
    }
}
