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

    /** Every row framed, in order, ready for one write. */
    static ByteBuffer frames(List<AuditRow> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 768);
        ByteArrayOutputStream payload = new ByteArrayOutputStream(1024);
        CRC32C crc = new CRC32C();
        try {
            DataOutputStream frames = new DataOutputStream(out);
            for (AuditRow row : rows) {
                payload.reset();
                write(new DataOutputStream(payload), row);
                crc.reset();
                crc.update(payload.toByteArray());
                frames.writeInt(payload.size());
                frames.writeInt((int) crc.getValue());
                payload.writeTo(frames);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams do not fail
        }
        return ByteBuffer.wrap(out.toByteArray());
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
