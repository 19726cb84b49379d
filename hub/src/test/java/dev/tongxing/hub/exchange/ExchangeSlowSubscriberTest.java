package dev.tongxing.hub.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.hub.config.ExchangeProperties;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A subscriber that stops reading is cut off with RESOURCE_EXHAUSTED once its buffer is full. */
class ExchangeSlowSubscriberTest {

    @Test
    void slowSubscriberIsDisconnectedInsteadOfBufferingWithoutBound() {
        ExchangeProperties properties = new ExchangeProperties("unused", "k".repeat(32), 4, 10, Duration.ofHours(1));
        InProcessChangeLog changeLog = new InProcessChangeLog(100);
        ChangeSubscriptions subscriptions = new ChangeSubscriptions(properties, changeLog,
                new TravelerSightings(new TravelerPseudonyms(properties), properties, changeLog));
        subscriptions.startedAt(ChangePosition.start(1));
        FakeStream stalled = new FakeStream();
        FakeStream reading = new FakeStream();
        reading.ready = true;
        subscriptions.subscribe("44", stalled, null, false);
        subscriptions.subscribe("44", reading, null, false);

        for (int version = 1; version <= 5; version++) {
            publish(subscriptions, notice(version, ""));
        }

        assertThat(stalled.sent).isEmpty();
        assertThat(stalled.error).isNotNull();
        assertThat(Status.fromThrowable(stalled.error).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(reading.sent).hasSize(5);
        assertThat(reading.error).isNull();
        assertThat(subscriptions.subscriberCount("44")).isEqualTo(1);

        // Once ready again, a subscriber gets what waited for it, in order.
        FakeStream paused = new FakeStream();
        subscriptions.subscribe("44", paused, null, false);
        publish(subscriptions, notice(6, "a"));
        publish(subscriptions, notice(7, "b"));
        paused.ready = true;
        paused.onReady.run();
        assertThat(paused.sent).extracting(ChangeNotice::getReason).containsExactly("a", "b");
        paused.onCancel.run();
        assertThat(subscriptions.subscriberCount("44")).isEqualTo(1);
    }

    private long offset;

    private void publish(ChangeSubscriptions subscriptions, ChangeNotice notice) {
        subscriptions.dispatch(Set.of("44"), notice, 0, offset, new ChangePosition(new long[] {offset + 1}));
        offset++;
    }

    private static ChangeNotice notice(long version, String reason) {
        return ChangeNotice.newBuilder().setChangeId("c" + version).setVersion(version).setColour(HealthCodeColour.RED).setReason(reason).build();
    }

    private static final class FakeStream extends ServerCallStreamObserver<ChangeNotice> {
        final List<ChangeNotice> sent = new ArrayList<>();
        volatile boolean ready;
        Throwable error;
        Runnable onReady = () -> { };
        Runnable onCancel = () -> { };

        @Override public boolean isReady() { return ready; }
        @Override public void onNext(ChangeNotice value) { sent.add(value); }
        @Override public void onError(Throwable t) { error = t; }
        @Override public void onCompleted() { }
        @Override public void setOnReadyHandler(Runnable handler) { onReady = handler; }
        @Override public void setOnCancelHandler(Runnable handler) { onCancel = handler; }
        @Override public boolean isCancelled() { return false; }
        @Override public void setCompression(String compression) { }
        @Override public void disableAutoInboundFlowControl() { }
        @Override public void request(int count) { }
        @Override public void setMessageCompression(boolean enable) { }
    }
}
