package dev.tongxing.hub.exchange;

import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.hub.config.ExchangeProperties;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Provinces listening for changes about travelers seen in their territory.
 *
 * <p>A live feed, at most once: a subscriber hears changes applied while it is connected, on this
 * hub process. Each subscriber has a bounded buffer ({@code tongxing.exchange.subscriber-buffer})
 * drained as its transport is ready; a subscriber that lets it fill is disconnected with
 * RESOURCE_EXHAUSTED rather than let the hub's memory grow, and must resubscribe. Publishing never
 * waits for a subscriber.
 */
@Component
public class ChangeSubscriptions {

    private static final Logger log = LoggerFactory.getLogger(ChangeSubscriptions.class);

    private final int buffer;
    private final ConcurrentMap<String, Set<Subscriber>> byProvince = new ConcurrentHashMap<>();

    public ChangeSubscriptions(ExchangeProperties properties) {
        this.buffer = properties.subscriberBuffer();
    }

    /** Registers a subscriber; it is removed when the call is cancelled or it falls too far behind. */
    void subscribe(String province, ServerCallStreamObserver<ChangeNotice> stream) {
        Subscriber subscriber = new Subscriber(province, stream);
        stream.setOnCancelHandler(subscriber::close);
        stream.setOnReadyHandler(subscriber::drain);
        byProvince.computeIfAbsent(province, any -> ConcurrentHashMap.newKeySet()).add(subscriber);
    }

    /** Offers the change to every subscriber of the given provinces. */
    void publish(Set<String> provinces, ChangeNotice change) {
        for (String province : provinces) {
            Set<Subscriber> subscribers = byProvince.get(province);
            if (subscribers != null) {
                subscribers.forEach(subscriber -> subscriber.offer(change));
            }
        }
    }

    int subscriberCount(String province) {
        Set<Subscriber> subscribers = byProvince.get(province);
        return subscribers == null ? 0 : subscribers.size();
    }

    private final class Subscriber {
        private final String province;
        private final ServerCallStreamObserver<ChangeNotice> stream;
        private final ArrayDeque<ChangeNotice> waiting = new ArrayDeque<>();
        private boolean closed;

        Subscriber(String province, ServerCallStreamObserver<ChangeNotice> stream) {
            this.province = province;
            this.stream = stream;
        }

        synchronized void offer(ChangeNotice change) {
            if (closed) {
                return;
            }
            if (waiting.size() >= buffer) {
                log.warn("subscriber of province {} is {} changes behind; disconnecting it", province, buffer);
                close();
                stream.onError(Status.RESOURCE_EXHAUSTED
                        .withDescription("subscriber too slow: " + buffer + " changes waiting; resubscribe")
                        .asRuntimeException());
                return;
            }
            waiting.add(change);
            drain();
        }

        synchronized void drain() {
            while (!closed && stream.isReady() && !waiting.isEmpty()) {
                stream.onNext(waiting.poll());
            }
        }

        synchronized void close() {
            closed = true;
            waiting.clear();
            Set<Subscriber> subscribers = byProvince.get(province);
            if (subscribers != null) {
                subscribers.remove(this);
            }
        }
    }
}
