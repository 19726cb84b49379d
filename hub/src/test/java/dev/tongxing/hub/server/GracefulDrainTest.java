package dev.tongxing.hub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.api.client.HubChannels;
import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.ProvinceExchangeGrpc;
import dev.tongxing.api.v1.SubscribeRequest;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.hub.TongxingHub;
import dev.tongxing.hub.security.Role;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.hub.support.Simulators;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedTraveler;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A rolling restart in small: two hub replicas, a client of both with the contract's retry policy
 * ({@link HubChannels}), scans under way, and replica A stopped as SIGTERM stops it (the context's
 * close, which the JVM's shutdown hook runs). A's province systems answer slowly and its grace
 * period is short, so some scans are still running on A when the grace period ends.
 */
class GracefulDrainTest {

    private static final Duration NOT_SERVING_DELAY = Duration.ofMillis(1500);
    private static final Duration GRACE = Duration.ofMillis(150);
    private static final int SCANNERS = 6;

    @TempDir
    Path stores;

    @Test
    void aDrainingReplicaLosesNoScanAndTellsEveryStreamToReconnect() throws Exception {
        ConfigurableApplicationContext a = startReplica("a", "250ms", "450ms");
        ConfigurableApplicationContext b = startReplica("b", "15ms", "60ms");
        int portA = a.getBean(GrpcServer.class).port();
        int portB = b.getBean(GrpcServer.class).port();
        GracefulDrain drainOfA = a.getBean(GracefulDrain.class);
        ManagedChannel fleet = HubChannels.forTarget("127.0.0.1:" + portA + ",127.0.0.1:" + portB).usePlaintext().build();
        ManagedChannel toA = NettyChannelBuilder.forAddress("127.0.0.1", portA).usePlaintext().build();
        ExecutorService threads = Executors.newFixedThreadPool(SCANNERS + 1);
        try {
            CallCredentials checkpoint = TestIssuer.bearer(TestIssuer.get().checkpointToken());
            List<Timed<ServingStatus>> health = new CopyOnWriteArrayList<>();
            CompletableFuture<Timed<Status>> healthEnd = watchHealth(toA, health);
            CompletableFuture<Timed<Status>> subscriptionEnd = subscribe(toA);
            Manifest manifest = openManifest(toA, checkpoint);
            manifest.send(5);
            await().atMost(Duration.ofSeconds(10)).until(() -> manifest.answered.size() == 5);
            await().atMost(Duration.ofSeconds(5)).until(() -> health.stream().anyMatch(t -> t.value() == ServingStatus.SERVING));

            // Scans on both replicas, each of a traveler neither has seen, so every scan asks a province.
            AtomicBoolean scanning = new AtomicBoolean(true);
            AtomicInteger travelers = new AtomicInteger(1000);
            AtomicLong answered = new AtomicLong();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            List<Future<?>> scanners = new ArrayList<>();
            for (int i = 0; i < SCANNERS; i++) {
                scanners.add(threads.submit(() -> {
                    var stub = TravelerStatusServiceGrpc.newBlockingStub(fleet).withCallCredentials(checkpoint);
                    while (scanning.get()) {
                        SimulatedTraveler traveler = SimulatedPopulation.traveler(travelers.getAndIncrement() % 10_000);
                        try {
                            stub.withDeadlineAfter(5, TimeUnit.SECONDS).getStatus(GetStatusRequest.newBuilder()
                                    .setTraveler(HubClient.residentKey(traveler.residentId(), traveler.phone())).build());
                            answered.incrementAndGet();
                        } catch (StatusRuntimeException e) {
                            failures.merge(e.getStatus().getCode() + ": " + e.getStatus().getDescription(), 1, Integer::sum);
                        }
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> answered.get() >= 20);

            long stopAt = System.nanoTime();
            Future<?> stopping = threads.submit(a::close);
            // While it reports NOT_SERVING, A still takes calls: load balancers have not caught up yet.
            await().atMost(Duration.ofSeconds(2)).until(() -> health.stream().anyMatch(t -> t.value() == ServingStatus.NOT_SERVING));
            long notServingAt = health.stream().filter(t -> t.value() == ServingStatus.NOT_SERVING).findFirst().orElseThrow().nanos();
            TravelerStatusServiceGrpc.newBlockingStub(toA).withCallCredentials(checkpoint).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getStatus(GetStatusRequest.newBuilder().setTraveler(HubClient.residentKey(
                            SimulatedPopulation.traveler(0).residentId(), SimulatedPopulation.traveler(0).phone())).build());
            stopping.get(30, TimeUnit.SECONDS);
            long drainedAt = System.nanoTime();
            long answeredWhenADrained = answered.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> answered.get() >= answeredWhenADrained + 20);
            scanning.set(false);
            for (Future<?> scanner : scanners) {
                scanner.get(30, TimeUnit.SECONDS);
            }

            GracefulDrain.DrainReport report = drainOfA.lastDrain();
            // No scan failed: each finished on A or, cut at the end of A's grace period, was retried on B.
            assertThat(failures).isEmpty();
            assertThat(report.runningAtClose()).isPositive();
            assertThat(report.endedAtGraceEnd()).as("scans still running on A when its grace period ended").isPositive();
            assertThat(report.closedAfter()).isGreaterThanOrEqualTo(NOT_SERVING_DELAY);
            assertThat(Duration.ofNanos(drainedAt - stopAt)).isLessThan(NOT_SERVING_DELAY.plus(GRACE).plusSeconds(10));

            // NOT_SERVING first; only after the delay were the streams told to reconnect.
            Timed<Status> subscriptionEnded = subscriptionEnd.get(5, TimeUnit.SECONDS);
            assertThat(subscriptionEnded.value().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(subscriptionEnded.value().getDescription()).contains("reconnect");
            assertThat(subscriptionEnded.nanos() - notServingAt).isGreaterThanOrEqualTo(NOT_SERVING_DELAY.toNanos() - TimeUnit.MILLISECONDS.toNanos(100));
            Timed<Status> healthEnded = healthEnd.get(5, TimeUnit.SECONDS);
            assertThat(healthEnded.value().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(health).extracting(Timed::value).containsSubsequence(ServingStatus.SERVING, ServingStatus.NOT_SERVING);

            // The open manifest answered every entry it took, then ended with UNAVAILABLE: the rest go on a new stream.
            Status manifestEnded = manifest.end.get(5, TimeUnit.SECONDS);
            assertThat(manifestEnded.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(manifestEnded.getDescription()).contains("send those without an answer on a new stream");
            assertThat(manifest.answered).containsExactlyInAnyOrder("e0", "e1", "e2", "e3", "e4");
            assertThat(manifest.errors).isEmpty();

            // A takes no more calls; B still answers.
            assertThat(catchStatus(() -> TravelerStatusServiceGrpc.newBlockingStub(toA).withCallCredentials(checkpoint)
                    .withDeadlineAfter(2, TimeUnit.SECONDS).getStatus(GetStatusRequest.getDefaultInstance())).getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            threads.shutdownNow();
            fleet.shutdownNow();
            toA.shutdownNow();
            a.close();
            b.close();
        }
    }

    private ConfigurableApplicationContext startReplica(String name, String minLatency, String maxLatency) {
        // Arguments, not default properties: they must win over application.yml.
        return new SpringApplicationBuilder(TongxingHub.class, Simulators.class).run(
                "--tongxing.grpc.port=0",
                "--server.port=0",
                "--tongxing.demo.port=" + FreePorts.next(),
                "--tongxing.demo.grpc-port=" + FreePorts.next(),
                "--tongxing.demo.min-latency=" + minLatency,
                "--tongxing.demo.max-latency=" + maxLatency,
                "--tongxing.exchange.store-dir=" + stores.resolve(name),
                "--tongxing.security.issuer=" + TestIssuer.get().issuer(),
                "--tongxing.shutdown.not-serving-delay=" + NOT_SERVING_DELAY.toMillis() + "ms",
                "--tongxing.shutdown.grace-period=" + GRACE.toMillis() + "ms");
    }

    record Timed<T>(T value, long nanos) {
        static <T> Timed<T> now(T value) {
            return new Timed<>(value, System.nanoTime());
        }
    }

    private static CompletableFuture<Timed<Status>> watchHealth(ManagedChannel channel, List<Timed<ServingStatus>> seen) {
        CompletableFuture<Timed<Status>> end = new CompletableFuture<>();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService("").build(), new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse response) {
                seen.add(Timed.now(response.getStatus()));
            }

            @Override
            public void onError(Throwable t) {
                end.complete(Timed.now(Status.fromThrowable(t)));
            }

            @Override
            public void onCompleted() {
                end.complete(Timed.now(Status.OK));
            }
        });
        return end;
    }

    private static CompletableFuture<Timed<Status>> subscribe(ManagedChannel channel) {
        CompletableFuture<Timed<Status>> end = new CompletableFuture<>();
        CallCredentials shaanxi = TestIssuer.bearer(TestIssuer.get().token("shaanxi-system", "61", Role.PROVINCE_SYSTEM));
        ProvinceExchangeGrpc.newStub(channel).withCallCredentials(shaanxi)
                .subscribeStatusChanges(SubscribeRequest.getDefaultInstance(), new StreamObserver<>() {
                    @Override
                    public void onNext(ChangeNotice notice) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        end.complete(Timed.now(Status.fromThrowable(t)));
                    }

                    @Override
                    public void onCompleted() {
                        end.complete(Timed.now(Status.OK));
                    }
                });
        return end;
    }

    /** A manifest stream left open, as a checkpoint boarding a train keeps it. */
    private static final class Manifest {
        final List<String> answered = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        final CompletableFuture<Status> end = new CompletableFuture<>();
        StreamObserver<CheckBatchRequest> entries;

        void send(int count) {
            for (int i = 0; i < count; i++) {
                SimulatedTraveler traveler = SimulatedPopulation.traveler(i);
                entries.onNext(CheckBatchRequest.newBuilder().setEntryId("e" + i)
                        .setTraveler(HubClient.residentKey(traveler.residentId(), traveler.phone())).build());
            }
        }
    }

    private static Manifest openManifest(ManagedChannel channel, CallCredentials checkpoint) {
        Manifest manifest = new Manifest();
        manifest.entries = TravelerStatusServiceGrpc.newStub(channel).withCallCredentials(checkpoint).checkBatch(new StreamObserver<>() {
            @Override
            public void onNext(CheckBatchResult result) {
                (result.hasError() ? manifest.errors : manifest.answered).add(result.getEntryId());
            }

            @Override
            public void onError(Throwable t) {
                manifest.end.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                manifest.end.complete(Status.OK);
            }
        });
        return manifest;
    }

    private static Status catchStatus(Runnable call) {
        try {
            call.run();
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }
}
