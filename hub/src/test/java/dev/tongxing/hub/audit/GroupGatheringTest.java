package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The writer waits for company only while records come faster than one per wait. */
class GroupGatheringTest {

    static final long WAIT = TimeUnit.MICROSECONDS.toNanos(300);

    @Test
    void aFreshWriterCommitsAtOnce() {
        assertThat(new GroupGathering(WAIT, 0).worthWaiting()).isFalse();
    }

    @Test
    void recordsComingFasterThanOnePerWaitAreGathered() {
        GroupGathering gathering = new GroupGathering(WAIT, 0);
        busySpell(gathering, 0, 400, 20); // 50,000 records a second
        assertThat(gathering.worthWaiting()).isTrue();
    }

    @Test
    void clumpsOfRecordsSlowerThanOnePerWaitAreNotHeldBack() {
        // 800 records a second arriving as pairs now and then: every group but the first has company,
        // yet a wait would gather a quarter of a record and hold each answer back by the whole wait.
        GroupGathering gathering = new GroupGathering(WAIT, 0);
        long now = 0;
        for (int group = 0; group < 1000; group++) {
            now += TimeUnit.MICROSECONDS.toNanos(group % 2 == 0 ? 100 : 2400);
            gathering.taken(group % 2 == 0 ? 1 : 2, now);
            assertThat(gathering.worthWaiting()).as("group %d", group).isFalse();
        }
    }

    @Test
    void afterABusySpellAPauseEndsTheWaitingAtOnce() {
        GroupGathering gathering = new GroupGathering(WAIT, 0);
        long now = busySpell(gathering, 0, 300, 30);
        assertThat(gathering.worthWaiting()).isTrue();
        now += TimeUnit.SECONDS.toNanos(5);
        gathering.taken(1, now);
        assertThat(gathering.worthWaiting()).as("the record after a pause is not held back").isFalse();
    }

    /** A hundred groups of {@code records}, one every {@code micros}, from {@code now}; returns the time after them. */
    private static long busySpell(GroupGathering gathering, long now, long micros, int records) {
        for (int group = 0; group < 100; group++) {
            now += TimeUnit.MICROSECONDS.toNanos(micros);
            gathering.taken(records, now);
        }
        return now;
    }

    @Test
    void aZeroWaitNeverWaits() {
        GroupGathering gathering = new GroupGathering(0, 0);
        for (int group = 1; group <= 100; group++) {
            gathering.taken(1000, group);
        }
        assertThat(gathering.worthWaiting()).isFalse();
    }
}
