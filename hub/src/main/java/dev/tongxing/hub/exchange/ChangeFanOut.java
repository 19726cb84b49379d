package dev.tongxing.hub.exchange;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tongxing.api.v1.ChangeNotice;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * This replica's reader of the change log, from where the log ends when it starts: every applied
 * change, whichever replica applied it, replaces this replica's cached answer for the traveler
 * ({@link ChangeIntake#showApplied}) and goes to this replica's subscribers; every sighting shared
 * by another replica is added to this one's.
 */
public class ChangeFanOut implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeFanOut.class);

    private final ChangeLog changeLog;
    private final ChangeIntake intake;
    private final ChangeSubscriptions subscriptions;
    private final TravelerSightings sightings;
    private final AtomicLong changesRead = new AtomicLong();
    private AutoCloseable follower;

    ChangeFanOut(ChangeLog changeLog, ChangeIntake intake, ChangeSubscriptions subscriptions, TravelerSightings sightings) {
        this.changeLog = changeLog;
        this.intake = intake;
        this.subscriptions = subscriptions;
        this.sightings = sightings;
    }

    private void read(ChangeLog.Entry entry, int partition, long offset, ChangePosition after) {
        if (entry.kind() == ChangeLog.Kind.SIGHTING) {
            sightings.sighted(entry.pseudonym(), new String(entry.value(), StandardCharsets.US_ASCII));
            subscriptions.passed(after);
            return;
        }
        ChangeNotice change;
        try {
            change = ChangeNotice.parseFrom(entry.value());
        } catch (InvalidProtocolBufferException e) {
            log.error("change log entry at {}/{} is not a ChangeNotice; skipped", partition, offset);
            subscriptions.passed(after);
            return;
        }
        changesRead.incrementAndGet();
        intake.showApplied(change);
        Set<String> provinces = sightings.provincesOf(change.getTravelerPseudonym());
        if (provinces.isEmpty()) {
            subscriptions.passed(after);
        } else {
            subscriptions.dispatch(provinces, change, partition, offset, after);
        }
    }

    /** Changes this replica has read from the log. */
    public long changesRead() {
        return changesRead.get();
    }

    @Override
    public synchronized void start() {
        ChangePosition end = changeLog.end();
        subscriptions.startedAt(end);
        follower = changeLog.follow(end, this::read);
    }

    @Override
    public synchronized void stop() {
        if (follower != null) {
            try {
                follower.close();
            } catch (Exception e) {
                log.warn("stopping the change-log reader: {}", e.getClass().getSimpleName());
            }
            follower = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return follower != null;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }
}
