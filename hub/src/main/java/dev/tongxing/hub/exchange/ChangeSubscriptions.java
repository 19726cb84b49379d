package dev.tongxing.hub.exchange;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.hub.config.ExchangeProperties;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Provinces listening for changes about travelers seen in their territory, on this replica.
 *
 * <p>Every replica reads the whole change log ({@link ChangeFanOut}) and hands each change to its
 * own subscribers here, so a change applied on any replica reaches subscribers on all of them. A
 * subscriber's position ({@link ChangePosition}) is in the log, not in this replica: resuming from
 * it on any replica replays what came after from the log, then joins the live feed with nothing
 * missed in between. The handover is exact: the subscriber is registered, and the live position
 * noted, under the same lock the dispatcher holds per entry; the replay covers up to that position
 * and the live entries after it wait in the subscriber's buffer until the replay is done.
 *
 * <p>Each subscriber has a bounded buffer ({@code tongxing.exchange.subscriber-buffer}) drained as
 * its transport is ready; a live subscriber that lets it fill is disconnected with
 * RESOURCE_EXHAUSTED rather than let the hub's memory grow, and resumes from its last position.
 * Dispatching never waits for a subscriber; a replay waits for its one subscriber.
 */
@Component
public class ChangeSubscriptions implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ChangeSubscriptions.class);
    static final long MARK_EVERY_MILLIS = 1_000;
    private static final long REPLAY_PATIENCE_MILLIS = 30_000;

    private final int buffer;
    private final ChangeLog changeLog;
    private final TravelerSightings sightings;
    private final ConcurrentMap<String, Set<Subscriber>> byProvince = new ConcurrentHashMap<>();
    /** Held while one log entry is dispatched, and while a subscriber joins: the handover point. */
    private final Object dispatching = new Object();
    /** How far the dispatcher has read the log; guarded by {@link #dispatching}. */
    private ChangePosition live;
    private final ScheduledExecutorService marks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("position-marks").daemon().factory());

    public ChangeSubscriptions(ExchangeProperties properties, ChangeLog changeLog, TravelerSightings sightings) {
        this.buffer = properties.subscriberBuffer();
        this.changeLog = changeLog;
        this.sightings = sightings;
        marks.scheduleWithFixedDelay(this::markAll, MARK_EVERY_MILLIS, MARK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The dispatcher starts reading the log here. */
    void startedAt(ChangePosition at) {
        synchronized (dispatching) {
            live = at;
        }
    }

    /**
     * Registers a subscriber, live from now ({@code from} null) or from a position; it is removed
     * when the call is cancelled or it falls too far behind. Replays on a thread of its own.
     */
    void subscribe(String province, ServerCallStreamObserver<ChangeNotice> stream, ChangePosition from, boolean wantsMarks) {
        Subscriber subscriber = new Subscriber(province, stream, wantsMarks);
        stream.setOnCancelHandler(subscriber::close);
        stream.setOnReadyHandler(subscriber::drain);
        ChangePosition until;
        synchronized (dispatching) {
            until = live;
            if (until == null) {
                stream.onError(Status.UNAVAILABLE.withDescription("the change log is not being read yet; retry").asRuntimeException());
                return;
            }
            subscriber.begin(from == null ? until : from, from != null);
            byProvince.computeIfAbsent(province, any -> ConcurrentHashMap.newKeySet()).add(subscriber);
        }
        if (from == null) {
            subscriber.mark(until);
            return;
        }
        Thread.ofVirtual().name("replay-" + province).start(() -> replay(subscriber, from, until));
    }

    private void replay(Subscriber subscriber, ChangePosition from, ChangePosition until) {
        try {
            changeLog.replay(from, until, (entry, partition, offset, after) -> subscriber.replayed(entry, partition, offset));
            subscriber.caughtUp(until);
        } catch (ChangeLog.PositionExpired e) {
            subscriber.fail(Status.OUT_OF_RANGE.withDescription("resume_from: " + e.getMessage() + "; resubscribe without resume_from"));
        } catch (RuntimeException e) {
            log.warn("replay for a subscriber of {} failed: {}", subscriber.province, e.getClass().getSimpleName());
            subscriber.fail(Status.UNAVAILABLE.withDescription("the change log could not be replayed; resume from the last position"));
        }
    }

    /** One change from the log, for the subscribers of the given provinces. */
    void dispatch(Set<String> provinces, ChangeNotice change, int partition, long offset, ChangePosition after) {
        synchronized (dispatching) {
            live = after;
            for (String province : provinces) {
                Set<Subscriber> subscribers = byProvince.get(province);
                if (subscribers != null) {
                    subscribers.forEach(subscriber -> subscriber.live(change, partition, offset, after));
                }
            }
        }
    }

    /** An entry no subscriber hears of; the live position moves past it all the same. */
    void passed(ChangePosition after) {
        synchronized (dispatching) {
            live = after;
        }
    }

    int subscriberCount(String province) {
        Set<Subscriber> subscribers = byProvince.get(province);
        return subscribers == null ? 0 : subscribers.size();
    }

    private void markAll() {
        try {
            synchronized (dispatching) {
                if (live == null) {
                    return;
                }
                for (Set<Subscriber> subscribers : byProvince.values()) {
                    for (Subscriber subscriber : subscribers) {
                        subscriber.mark(live);
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("position marks failed: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void destroy() {
        marks.shutdownNow();
    }

    private final class Subscriber {
        private final String province;
        private final ServerCallStreamObserver<ChangeNotice> stream;
        private final boolean wantsMarks;
        private final ArrayDeque<ChangeNotice> waiting = new ArrayDeque<>();
        /** Live changes that came while replaying, with the live position after each. */
        private final List<Object[]> pending = new ArrayList<>();
        /** Everything before this, in every partition, was delivered or was not for this subscriber. */
        private ChangePosition cursor;
        private ChangePosition resumedFrom;
        private ChangePosition lastSent;
        private boolean catchingUp;
        private boolean markedOnce;
        private boolean closed;

        Subscriber(String province, ServerCallStreamObserver<ChangeNotice> stream, boolean wantsMarks) {
            this.province = province;
            this.stream = stream;
            this.wantsMarks = wantsMarks;
        }

        synchronized void begin(ChangePosition from, boolean replaying) {
            this.cursor = from;
            this.resumedFrom = from;
            this.lastSent = from;
            this.catchingUp = replaying;
        }

        /** A live change; entries before where the subscriber resumed are not its news. */
        synchronized void live(ChangeNotice change, int partition, long offset, ChangePosition after) {
            if (closed || offset < resumedFrom.next(partition)) {
                return;
            }
            if (catchingUp) {
                if (pending.size() >= buffer) {
                    tooSlow();
                    return;
                }
                pending.add(new Object[] {change, after});
                return;
            }
            cursor = cursor.max(after);
            offer(change.toBuilder().setPosition(cursor.token()).build());
        }

        /** A replayed entry: moves the cursor, and is delivered when it is a change this province heard of. */
        void replayed(ChangeLog.Entry entry, int partition, long offset) {
            ChangeNotice notice = null;
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("subscriber gone");
                }
                cursor = cursor.after(partition, offset);
                if (entry.kind() == ChangeLog.Kind.CHANGE && sightings.provincesOf(entry.pseudonym()).contains(province)) {
                    try {
                        notice = ChangeNotice.parseFrom(entry.value()).toBuilder().setPosition(cursor.token()).build();
                    } catch (InvalidProtocolBufferException e) {
                        log.error("change log entry at {}/{} is not a ChangeNotice; skipped", partition, offset);
                    }
                }
                if (notice == null) {
                    return;
                }
                long patience = System.currentTimeMillis() + REPLAY_PATIENCE_MILLIS;
                while (!closed && waiting.size() >= buffer) {
                    long left = patience - System.currentTimeMillis();
                    if (left <= 0) {
                        tooSlow();
                        return;
                    }
                    try {
                        wait(Math.min(left, 100));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    drain();
                }
                offer(notice);
            }
        }

        synchronized void caughtUp(ChangePosition until) {
            cursor = cursor.max(until);
            catchingUp = false;
            for (Object[] held : pending) {
                cursor = cursor.max((ChangePosition) held[1]);
                offer(((ChangeNotice) held[0]).toBuilder().setPosition(cursor.token()).build());
            }
            pending.clear();
            mark(cursor);
        }

        /** A notice with only a position, when asked for and the position moved on since the last one. */
        synchronized void mark(ChangePosition live) {
            if (!wantsMarks || closed || catchingUp) {
                return;
            }
            cursor = cursor.max(live);
            if (!markedOnce || !cursor.equals(lastSent)) {
                markedOnce = true;
                offer(ChangeNotice.newBuilder().setPosition(cursor.token()).build());
            }
        }

        private void offer(ChangeNotice notice) {
            if (closed) {
                return;
            }
            if (waiting.size() >= buffer) {
                tooSlow();
                return;
            }
            waiting.add(notice);
            lastSent = cursor;
            drain();
        }

        private void tooSlow() {
            log.warn("subscriber of province {} is {} changes behind; disconnecting it", province, buffer);
            fail(Status.RESOURCE_EXHAUSTED.withDescription("subscriber too slow: " + buffer
                    + " changes waiting; resume from the last position"));
        }

        synchronized void fail(Status status) {
            if (closed) {
                return;
            }
            close();
            stream.onError(status.asRuntimeException());
        }

        synchronized void drain() {
            while (!closed && stream.isReady() && !waiting.isEmpty()) {
                stream.onNext(waiting.poll());
            }
            notifyAll();
        }

        synchronized void close() {
            closed = true;
            waiting.clear();
            pending.clear();
            notifyAll();
            Set<Subscriber> subscribers = byProvince.get(province);
            if (subscribers != null) {
                subscribers.remove(this);
            }
        }
    }
}
