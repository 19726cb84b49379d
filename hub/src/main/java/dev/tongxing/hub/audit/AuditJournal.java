package dev.tongxing.hub.audit;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's write-ahead audit journal: append-only segment files where a group of records
 * becomes durable before its answers go out. Segments are named {@code <replica>@<first
 * sequence>.journal}, locked while their writer lives, and recycled or deleted once the store
 * holds every record in them. {@link #recover} copies what a dead process left into the store.
 *
 * <p>A copied segment is kept as a spare ({@code <replica>.spare-<first sequence>}, a name recovery ignores)
 * and written over as a later segment: a group's flush then writes into blocks the file already
 * has, so the file system has no new size or blocks to commit with it (on this project's test
 * machine an 8 KB append with its flush took 0.25 ms at the median and 0.58 ms at p99; the same
 * write over existing blocks 0.12 and 0.22 ms). What a spare held before stays behind the new
 * records; recovery finds their end at the zero frame length each group leaves after itself, and
 * as a second guard where the sequence breaks: a segment's records run on from the sequence in its
 * name without a gap, and the earlier records behind them have lower sequences.
 */
final class AuditJournal implements AutoCloseable {

    static final String SUFFIX = ".journal";
    /** Copied segments kept for reuse; the rest are deleted. */
    static final int MAX_SPARES = 2;
    private static final String SPARE = ".spare-";

    private static final Logger log = LoggerFactory.getLogger(AuditJournal.class);

    private final Path dir;
    private final String replicaId;
    private final boolean fsync;
    private final long segmentBytes;
    private final ArrayDeque<Segment> closed = new ArrayDeque<>();
    private final ArrayDeque<Path> spares = new ArrayDeque<>();
    private final JournalCodec.Framer framer = new JournalCodec.Framer();
    private Segment active;
    /** A failed write that could not be undone leaves the file's end unknown: no more appends. */
    private boolean broken;

    private AuditJournal(Path dir, String replicaId, boolean fsync, long segmentBytes) {
        this.dir = dir;
        this.replicaId = replicaId;
        this.fsync = fsync;
        this.segmentBytes = segmentBytes;
    }

    static AuditJournal open(Path dir, String replicaId, boolean fsync, long segmentBytes) throws IOException {
        Files.createDirectories(dir);
        AuditJournal journal = new AuditJournal(dir, replicaId, fsync, segmentBytes);
        // An earlier process's spares under this replica's name are as good as new ones.
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(path -> path.getFileName().toString().startsWith(replicaId + SPARE)).sorted().forEach(spare -> {
                if (journal.spares.size() < MAX_SPARES) {
                    journal.spares.add(spare);
                } else {
                    deleteQuietly(spare);
                }
            });
        }
        return journal;
    }

    /**
     * Makes the rows durable, all of them, before returning; or throws and leaves none behind.
     * Returns the frames written, a copy for the caller to keep.
     */
    synchronized byte[] append(List<AuditRow> rows) throws IOException {
        if (broken) {
            throw new IOException("audit journal failed earlier and is no longer written");
        }
        if (active == null || active.size >= segmentBytes) {
            rotate(rows.get(0).sequence());
        }
        ByteBuffer frames = framer.frames(rows);
        // A zero frame length after the group marks where the segment's records end, durable with
        // them; the next group is written over it. In a recycled segment older records follow.
        ByteBuffer[] group = {frames, ByteBuffer.allocate(JournalCodec.HEADER)};
        long before = active.size;
        try {
            while (group[1].hasRemaining()) {
                active.channel.write(group);
            }
            if (fsync) {
                active.channel.force(false);
            }
            active.channel.position(before + frames.limit());
        } catch (IOException e) {
            undo(before);
            throw e;
        }
        active.size = before + frames.limit();
        active.lastSequence = rows.get(rows.size() - 1).sequence();
        return Arrays.copyOf(frames.array(), frames.limit());
    }

    /** Deletes the closed segments whose every record is in the store. */
    synchronized void release(long storedSequence) {
        for (Iterator<Segment> it = closed.iterator(); it.hasNext(); ) {
            Segment segment = it.next();
            if (segment.lastSequence > storedSequence) {
                break;
            }
            retire(segment);
            it.remove();
        }
    }

    /** Closes every segment; those the store holds completely are deleted, the rest wait for recovery. */
    synchronized void close(long storedSequence) {
        release(storedSequence);
        if (active != null) {
            if (active.lastSequence <= storedSequence) {
                retire(active);
            } else {
                active.closeQuietly();
            }
            active = null;
        }
        closed.forEach(Segment::closeQuietly);
        closed.clear();
    }

    @Override
    public void close() {
        close(-1);
    }

    private void rotate(long firstSequence) throws IOException {
        Path file = dir.resolve(replicaId + "@" + String.format("%020d", firstSequence) + SUFFIX);
        // Created and locked under a name recovery ignores, then renamed: a process recovering the
        // directory meanwhile never sees an unlocked segment that is about to be written.
        // A spare is such a name already.
        Path creating = dir.resolve(file.getFileName() + ".new");
        FileChannel channel = null;
        while (channel == null && !spares.isEmpty()) {
            Path spare = spares.poll();
            try {
                channel = FileChannel.open(spare, StandardOpenOption.WRITE);
                creating = spare;
            } catch (IOException gone) {
                log.warn("audit journal spare {} cannot be reused: {}", spare.getFileName(), gone.getMessage());
            }
        }
        if (channel == null) {
            channel = FileChannel.open(creating, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        try {
            FileLock lock = channel.lock();
            Files.move(creating, file, StandardCopyOption.ATOMIC_MOVE);
            if (fsync) {
                try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                    directory.force(true);
                }
            }
            if (active != null) {
                closed.add(active);
            }
            active = new Segment(file, channel, lock, firstSequence - 1);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(creating);
            throw e;
        }
    }

    /** Keeps a segment the store holds completely as a spare, or deletes it when there are enough. */
    private void retire(Segment segment) {
        if (spares.size() < MAX_SPARES) {
            // Named after the segment it was: a replica's sequences never repeat, so neither do spares' names.
            String name = segment.file.getFileName().toString();
            Path spare = dir.resolve(replicaId + SPARE + name.substring(replicaId.length() + 1, name.length() - SUFFIX.length()));
            try {
                Files.move(segment.file, spare, StandardCopyOption.ATOMIC_MOVE);
                segment.closeQuietly();
                spares.add(spare);
                return;
            } catch (IOException e) {
                log.warn("audit journal {} could not be kept as a spare: {}", segment.file.getFileName(), e.getMessage());
            }
        }
        segment.delete();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("audit journal {} could not be deleted: {}", file.getFileName(), e.getMessage());
        }
    }

    private void undo(long size) {
        try {
            active.channel.truncate(size);
            active.channel.position(size);
        } catch (IOException e) {
            broken = true;
            log.error("audit journal {} could not be cut back after a failed write; no more records are accepted", active.file);
        }
    }

    /**
     * Copies into the store every record of every unlocked segment in the directory that the store
     * does not hold yet, then deletes those segments. Runs before this process writes: what it
     * finds was left by an earlier process, killed before its copier caught up. Reading a segment
     * stops at the first frame that is cut off or fails its checksum; nothing after it in that
     * file was ever acknowledged, because a group is acknowledged only once all of it is written.
     *
     * @return records copied
     */
    static long recover(Path dir, AuditStore store, int batchSize) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.filter(path -> path.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        }
        Map<String, Long> stored = new HashMap<>();
        long copied = 0;
        for (Path segment : segments) {
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // this JVM writes it
                }
                if (lock == null) {
                    continue; // a live writer owns it
                }
                String name = segment.getFileName().toString();
                int at = name.lastIndexOf('@');
                long first = firstSequence(name, at);
                if (first < 0) {
                    log.warn("audit journal {}: not a segment's name (<replica>@<first sequence>{}); left alone", name, SUFFIX);
                    continue;
                }
                copied += copy(segment, channel, name.substring(0, at), first, store, stored, batchSize);
                Files.delete(segment);
            }
        }
        if (copied > 0) {
            log.info("audit journal: copied {} record(s) a stopped process had not copied into the store", copied);
        }
        return copied;
    }

    /** The sequence in a segment's name, or -1 when the name is not a segment's. */
    private static long firstSequence(String name, int at) {
        try {
            return at > 0 ? Long.parseLong(name.substring(at + 1, name.length() - SUFFIX.length())) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Copies the records of {@code replica}'s segment that begins at {@code first}, up to the first gap in their sequence. */
    private static long copy(Path segment, FileChannel channel, String replica, long first, AuditStore store, Map<String, Long> stored,
                             int batchSize) throws IOException {
        List<AuditRow> batch = new ArrayList<>(batchSize);
        long expected = first;
        long copied = 0;
        long offset = 0;
        DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel.position(0)), 1 << 16));
        while (true) {
            AuditRow row;
            try {
                int length = in.readInt();
                if (length == 0) {
                    break; // the end of the segment's records (see append)
                }
                int checksum = in.readInt();
                if (length < 0 || length > JournalCodec.MAX_PAYLOAD) {
                    throw new IOException("frame length " + length);
                }
                byte[] payload = in.readNBytes(length);
                if (payload.length < length || !JournalCodec.checksumMatches(payload, checksum)) {
                    throw new IOException("frame cut off or checksum mismatch");
                }
                row = JournalCodec.read(new DataInputStream(new ByteArrayInputStream(payload)));
                offset += JournalCodec.HEADER + length;
            } catch (EOFException end) {
                break;
            } catch (IOException damaged) {
                log.warn("audit journal {}: unreadable frame at byte {} ({}); records after it were never acknowledged",
                        segment.getFileName(), offset, damaged.getMessage());
                break;
            }
            if (!row.replicaId().equals(replica) || row.sequence() != expected) {
                // A recycled segment: what follows the records written into it was a copied segment's.
                break;
            }
            expected++;
            long last = stored.computeIfAbsent(row.replicaId(), store::lastSequence);
            if (row.sequence() > last) {
                batch.add(row);
                stored.put(row.replicaId(), row.sequence());
            }
            if (batch.size() >= batchSize) {
                store.append(batch);
                copied += batch.size();
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.append(batch);
            copied += batch.size();
        }
        return copied;
    }

    private static final class Segment {
        final Path file;
        final FileChannel channel;
        final FileLock lock;
        long size;
        long lastSequence;

        Segment(Path file, FileChannel channel, FileLock lock, long lastSequence) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
            this.lastSequence = lastSequence;
        }

        void delete() {
            deleteQuietly(file);
            closeQuietly();
        }

        void closeQuietly() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                log.warn("audit journal {} could not be closed: {}", file.getFileName(), e.getMessage());
            }
        }
    }
}
