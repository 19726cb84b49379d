package dev.tongxing.hub.exchange;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The change log of a hub that is the whole fleet: one partition in memory, the newest
 * {@code tongxing.fleet.memory-log-retention} entries kept for resuming subscribers. Readers are
 * called on the appending thread, in order. A restart empties it (offsets start again at the
 * count the store cannot tell; positions from before a restart are refused as expired).
 */
final class InProcessChangeLog implements ChangeLog {

    private final int retention;
    private final ArrayDeque<Entry> kept = new ArrayDeque<>();
    private final List<Reader> readers = new CopyOnWriteArrayList<>();
    /** Offset of the first kept entry; the next entry's offset is first + kept.size(). */
    private long first;
    /** Distinguishes this process's positions from an earlier run's: the log starts at a time-based offset. */
    private final long origin;

    InProcessChangeLog(int retention) {
        this.retention = retention;
        this.origin = System.currentTimeMillis() * 1000;
        this.first = origin;
    }

    @Override
    public int partitions() {
        return 1;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public synchronized void append(List<Entry> entries) {
        for (Entry entry : entries) {
            long offset = first + kept.size();
            kept.addLast(entry);
            if (kept.size() > retention) {
                kept.removeFirst();
                first++;
            }
            ChangePosition after = new ChangePosition(new long[] {offset + 1});
            for (Reader reader : readers) {
                reader.read(entry, 0, offset, after);
            }
        }
    }

    @Override
    public void offer(Entry entry) {
        // One process: its sightings are already where they are needed.
    }

    @Override
    public synchronized ChangePosition end() {
        return new ChangePosition(new long[] {first + kept.size()});
    }

    @Override
    public synchronized AutoCloseable follow(ChangePosition from, Reader reader) {
        replay(from, end(), reader);
        readers.add(reader);
        return () -> readers.remove(reader);
    }

    @Override
    public synchronized void replay(ChangePosition from, ChangePosition until, Reader reader) {
        long start = from.next(0);
        if (start < first || start > first + kept.size()) {
            throw new PositionExpired("position " + from.token() + " is not in this process's change log (kept from "
                    + first + " to " + (first + kept.size()) + ")");
        }
        long offset = first;
        for (Entry entry : kept) {
            if (offset >= until.next(0)) {
                break;
            }
            if (offset >= start) {
                reader.read(entry, 0, offset, new ChangePosition(new long[] {offset + 1}));
            }
            offset++;
        }
    }
}
