package dev.tongxing.hub.audit;

import dev.tongxing.api.v1.AuditRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The journal's record framing: payload length, CRC-32C of the payload, payload. A frame cut off
 * by a crash or damaged on disk fails its length or checksum, so recovery stops there instead of
 * copying a half-written record. Every field of the row is written, the hashes included: the
 * store receives exactly what the chain covers.
 */
final class JournalCodec {

    /** Length and checksum in front of every payload. */
    static final int HEADER = 8;
    /** No row comes near this; a larger length is a damaged header, not a record. */
    static final int MAX_PAYLOAD = 1 << 20;

    private JournalCodec() {}

    /**
     * Frames groups of rows into one buffer it keeps: the journal frames a group on every commit,
     * and a fresh buffer each time (up to a megabyte for a large group, copied once more to size
     * it) was most of the audit writer's garbage, allocated outside the young generation. Not
     * thread-safe; the buffer returned is valid until the next call.
     */
    static final class Framer {
        private final ExposedBuffer out = new ExposedBuffer();
        private final DataOutputStream data = new DataOutputStream(out);
        private final CRC32C crc = new CRC32C();

        /** Every row framed, in order, ready for one write. */
        ByteBuffer frames(List<AuditRow> rows) {
            out.reset();
            try {
                for (AuditRow row : rows) {
                    int start = out.size();
                    data.writeLong(0); // length and checksum, filled in below
                    write(data, row);
                    int length = out.size() - start - HEADER;
                    crc.reset();
                    crc.update(out.array(), start + HEADER, length);
                    out.putInt(start, length);
                    out.putInt(start + 4, (int) crc.getValue());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // in-memory streams do not fail
            }
            return ByteBuffer.wrap(out.array(), 0, out.size());
        }
    }

    /** A byte stream whose array is read in place and whose headers are written after their payload. */
    private static final class ExposedBuffer extends ByteArrayOutputStream {
        ExposedBuffer() {
            super(1 << 16);
        }

        byte[] array() {
            return buf;
        }

        void putInt(int at, int value) {
            buf[at] = (byte) (value >>> 24);
            buf[at + 1] = (byte) (value >>> 16);
            buf[at + 2] = (byte) (value >>> 8);
            buf[at + 3] = (byte) value;
        }
    }

    /** The row in a payload whose length and checksum were already checked. */
    static AuditRow read(DataInputStream in) throws IOException {
        return new AuditRow(in.readUTF(), in.readLong(), kind(in.readUTF()), in.readLong(), in.readUTF(), in.readUTF(),
                list(in), in.readUTF(), nullable(in), nullable(in), nullable(in), in.readUTF(), in.readUTF(),
                list(in), list(in), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF());
    }

    static boolean checksumMatches(byte[] payload, int expected) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue() == expected;
    }

    private static void write(DataOutputStream out, AuditRow row) throws IOException {
        out.writeUTF(row.replicaId());
        out.writeLong(row.sequence());
        out.writeUTF(row.kind().name());
        out.writeLong(row.recordedAtMicros());
        out.writeUTF(row.method());
        out.writeUTF(row.actor());
        list(out, row.callerRoles());
        out.writeUTF(row.callerProvince());
        nullable(out, row.pseudonym());
        nullable(out, row.maskedName());
        nullable(out, row.personalSalt());
        out.writeUTF(row.personalDigest());
        out.writeUTF(row.travelerProvince());
        list(out, row.sources());
        list(out, row.provenance());
        out.writeUTF(row.summary());
        out.writeUTF(row.verdict());
        out.writeUTF(row.reason());
        out.writeUTF(row.traceId());
        out.writeUTF(row.previousHash());
        out.writeUTF(row.hash());
    }

    private static void nullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String nullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void list(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            out.writeUTF(value);
        }
    }

    private static List<String> list(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > 1024) {
            throw new IOException("list of " + size + " elements");
        }
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(in.readUTF());
        }
        return List.copyOf(values);
    }

    private static AuditRecord.Kind kind(String name) throws IOException {
        try {
            return AuditRecord.Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown record kind " + name);
        }
    }
}
