package dev.tongxing.simulators;

import com.google.protobuf.Timestamp;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.HealthCodeComponent;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sichuan's 天府健康通 as a province that adopted the hub's own contract: a gRPC server on
 * loopback implementing {@code tongxing.v1.TravelerStatusService/GetStatus} for Sichuan's
 * residents ({@code 51...}); anyone else is NOT_FOUND. The {@code tongxing-grpc} family reads it.
 */
public final class SichuanTfjkt implements AutoCloseable {

    public static final String SOURCE_ID = "sichuan-tfjkt";
    private static final Logger log = LoggerFactory.getLogger(SichuanTfjkt.class);
    private static final ZoneId BEIJING_TIME = ZoneId.of("Asia/Shanghai");

    private final Server server;
    private final ExecutorService threads;

    private SichuanTfjkt(Server server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /** Starts the server on 127.0.0.1 at the given port (0 picks a free one). */
    public static SichuanTfjkt start(int port, SimulatedPopulation population, Duration minLatency, Duration maxLatency, Clock clock)
            throws IOException {
        return start(port, population, minLatency, maxLatency, clock, new Arrivals());
    }

    /** As {@link #start(int, SimulatedPopulation, Duration, Duration, Clock)}, counting every status query into {@code arrivals}. */
    public static SichuanTfjkt start(int port, SimulatedPopulation population, Duration minLatency, Duration maxLatency, Clock clock,
                                     Arrivals arrivals) throws IOException {
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), InsecureServerCredentials.create())
                .executor(threads)
                .addService(new Service(population, minLatency, maxLatency, clock, arrivals))
                .build();
        try {
            server.start();
        } catch (IOException e) {
            threads.shutdownNow();
            throw e;
        }
        log.info("Simulated Sichuan (tongxing-grpc) on grpc://127.0.0.1:{}", server.getPort());
        return new SichuanTfjkt(server, threads);
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.shutdownNow();
    }

    private static final class Service extends TravelerStatusServiceGrpc.TravelerStatusServiceImplBase {
        private final SimulatedPopulation population;
        private final Duration minLatency;
        private final Duration maxLatency;
        private final Clock clock;
        private final Arrivals arrivals;

        Service(SimulatedPopulation population, Duration minLatency, Duration maxLatency, Clock clock, Arrivals arrivals) {
            this.arrivals = arrivals;
            this.population = population;
            this.minLatency = minLatency;
            this.maxLatency = maxLatency;
            this.clock = clock;
        }

        @Override
        public void getStatus(GetStatusRequest request, StreamObserver<TravelerStatus> response) {
            arrivals.record(SOURCE_ID);
            pause();
            String number = request.getTraveler().getDocumentNumber();
            var traveler = number.startsWith("51") && request.getTraveler().getDocumentType() == DocumentType.RESIDENT_ID
                    ? population.byResidentId(number) : java.util.Optional.<SimulatedTraveler>empty();
            if (traveler.isEmpty()) {
                response.onError(Status.NOT_FOUND.withDescription("未查询到该人员").asRuntimeException());
                return;
            }
            SimulatedTraveler t = traveler.get();
            Instant now = clock.instant();
            Instant endOfDay = LocalDate.ofInstant(now, BEIJING_TIME).plusDays(1).atStartOfDay(BEIJING_TIME).toInstant().minusSeconds(1);
            response.onNext(TravelerStatus.newBuilder()
                    .setMaskedName(t.maskedName())
                    .setMaskedDocumentNumber(SimulatedProvince.maskNumber(number))
                    .setDocumentType(DocumentType.RESIDENT_ID)
                    .setHealthCode(HealthCodeComponent.newBuilder()
                            .setColour(switch (t.healthColour()) {
                                case "hongma" -> HealthCodeColour.RED;
                                case "huangma" -> HealthCodeColour.YELLOW;
                                default -> HealthCodeColour.GREEN;
                            })
                            .setReason(t.reason())
                            .setIssuingProvince("51")
                            .setValidUntil(timestamp(endOfDay))
                            .setUpdatedAt(timestamp(now.minusSeconds(60L * (t.index() % 600))))
                            .setProvenance(Provenance.newBuilder().setKind(Provenance.Kind.LIVE).setSourceId(SOURCE_ID)
                                    .setFetchedAt(timestamp(now))))
                    .build());
            response.onCompleted();
        }

        private static Timestamp timestamp(Instant instant) {
            return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
        }

        private void pause() {
            long min = minLatency.toMillis();
            long max = maxLatency.toMillis();
            long millis = max <= min ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
            if (millis > 0) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
