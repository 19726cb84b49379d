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
        // A frame's payload is one row exactly as JournalCodec wrote it, so the frames read back as
        // one stream; the header's length and checksum guard the disk, not this copy in memory.
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(frames));
        try {
            for (int i = 0; i < rows; i++) {
                in.skipNBytes(JournalCodec.HEADER);
                AuditRow row = JournalCodec.read(in);
                if (row.sequence() > storedSequence) {
                    decoded.add(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("audit group framed in memory cannot be read back", e);
        }
        return decoded;
    }
}
