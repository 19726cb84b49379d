package dev.tongxing.hub.audit;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One group commit's records as the journal framed them, waiting to be copied into the store.
 *
 * <p>Held as bytes, not rows: a row is some twenty objects (its hashes, salt and pseudonym as
 * hex strings), and the copier holds every record of the last half second or so. Those rows were
 * most of what survived each young collection at 13,000 audited lookups a second (2 to 9 MB,
 * against 0.1 MB without audit), and the collector's pause grows with the objects it copies. A
 * group of them as one array is a single copy; the records are decoded when the copier writes
 * them, a few hundred at a time ({@link AuditStore#append(java.util.List, long)}).
 *
 * @param frames       the group's frames (see {@link JournalCodec}), a copy of what was written
 * @param rows         how many records the frames hold
 * @param newest       the chain head after the group's last record
 */
record JournaledGroup(byte[] frames, int rows, ChainHead newest) {

    static JournaledGroup of(byte[] frames, List<AuditRow> rows) {
        AuditRow last = rows.get(rows.size() - 1);
        return new JournaledGroup(frames, rows.size(), new ChainHead(last.replicaId(), last.sequence(), last.hash()));
    }

    /** The group's records after {@code storedSequence}, decoded. */
    List<AuditRow> decode(long storedSequence) {
        List<AuditRow> decoded = new ArrayList<>(rows);
        int at = 0;
        try {
            while (at < frames.length) {
                int length = (frames[at] & 0xff) << 24 | (frames[at + 1] & 0xff) << 16 | (frames[at + 2] & 0xff) << 8 | (frames[at + 3] & 0xff);
                AuditRow row = JournalCodec.read(new DataInputStream(new ByteArrayInputStream(frames, at + JournalCodec.HEADER, length)));
                if (row.sequence() > storedSequence) {
                    decoded.add(row);
                }
                at += JournalCodec.HEADER + length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("audit group framed in memory cannot be read back", e);
        }
        return decoded;
    }
}
