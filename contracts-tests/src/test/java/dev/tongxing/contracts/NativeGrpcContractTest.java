package dev.tongxing.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.tongxing.adapters.FormatFamilies;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceKind;
import dev.tongxing.adapters.SourceQuery;
import dev.tongxing.adapters.SourceRoutes;
import dev.tongxing.adapters.SourceSettings;
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
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A province speaking the hub's own contract (tongxing-grpc): a real grpc-java server on
 * 127.0.0.1 plays Sichuan, and the query goes through the real {@link SourceRoutes} route and its
 * per-source channel. The HTTP-shaped hostile cases of {@link SourceContract} do not apply; their
 * gRPC counterparts are here: error statuses, a server that never answers, an oversized message,
 * another traveler, no colour.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NativeGrpcContractTest {

    private static final String NUMBER = "510104199001011234";
    private static final SourceQuery TRAVELER = new SourceQuery(DocumentType.RESIDENT_ID, NUMBER, "13800138000", "51");
    private static final int MAX_BODY = 16 * 1024;

    private final AtomicReference<BiConsumer<GetStatusRequest, StreamObserver<TravelerStatus>>> province = new AtomicReference<>();
    private final AtomicReference<GetStatusRequest> lastRequest = new AtomicReference<>();
    private Server server;
    private DefaultCamelContext camel;
    private SourceRoutes routes;
    private ProducerTemplate template;

    @BeforeAll
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), InsecureServerCredentials.create())
                .addService(new TravelerStatusServiceGrpc.TravelerStatusServiceImplBase() {
                    @Override
                    public void getStatus(GetStatusRequest request, StreamObserver<TravelerStatus> response) {
                        lastRequest.set(request);
                        province.get().accept(request, response);
                    }
                })
                .build().start();
        SourceSettings sichuan = new SourceSettings("sichuan-tfjkt", "tongxing-grpc", SourceKind.HEALTH_CODE, "51",
                URI.create("grpc://127.0.0.1:" + server.getPort()), SourceHarness.TIMEOUT, ZoneId.of("Asia/Shanghai"), MAX_BODY, "", Map.of());
        SourceSettings nobody = new SourceSettings("nobody-grpc", "tongxing-grpc", SourceKind.HEALTH_CODE, "52",
                URI.create("grpc://127.0.0.1:" + freePort()), SourceHarness.TIMEOUT, ZoneId.of("Asia/Shanghai"), MAX_BODY, "", Map.of());
        routes = new SourceRoutes(List.of(sichuan, nobody), FormatFamilies.builtIn(SourceHarness.CLOCK));
        camel = new DefaultCamelContext();
        camel.addRoutes(routes);
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterAll
    void stop() throws Exception {
        template.stop();
        camel.stop();
        routes.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static Timestamp at(String instant) {
        Instant i = Instant.parse(instant);
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    static TravelerStatus status(HealthCodeColour colour, String maskedNumber) {
        return TravelerStatus.newBuilder()
                .setMaskedName("王*")
                .setMaskedDocumentNumber(maskedNumber)
                .setDocumentType(DocumentType.RESIDENT_ID)
                .setHealthCode(HealthCodeComponent.newBuilder()
                        .setColour(colour)
                        .setIssuingProvince("51")
                        .setValidUntil(at("2022-01-04T15:59:59Z"))
                        .setUpdatedAt(at("2022-01-04T01:00:00Z"))
                        .setProvenance(Provenance.newBuilder().setKind(Provenance.Kind.LIVE)))
                .build();
    }

    private void answers(TravelerStatus status) {
        province.set((request, response) -> {
            response.onNext(status);
            response.onCompleted();
        });
    }

    private void fails(Status status) {
        province.set((request, response) -> response.onError(status.withDescription("province says " + NUMBER).asRuntimeException()));
    }

    private SourceAnswer answer() {
        Exchange exchange = call("sichuan-tfjkt");
        assertThat(exchange.getException()).as("exchange failure").isNull();
        return exchange.getMessage().getBody(SourceAnswer.class);
    }

    private Exchange call(String sourceId) {
        return template.send(SourceRoutes.endpointOf(sourceId), exchange -> exchange.getMessage().setBody(TRAVELER));
    }

    /** The exchange failed with a RejectedAnswer or I/O error naming the source, never a colour, never the number. */
    private Throwable failure(String sourceId) {
        Exchange exchange = call(sourceId);
        assertThat(exchange.getException()).as("must fail, but gave %s", exchange.getMessage().getBody()).isNotNull();
        for (Throwable cause = exchange.getException(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RejectedAnswer || cause instanceof IOException) {
                assertThat(cause.getMessage()).startsWith(sourceId + ": ").doesNotContain(NUMBER);
                return cause;
            }
        }
        throw new AssertionError("failure is neither RejectedAnswer nor I/O", exchange.getException());
    }

    @ParameterizedTest
    @EnumSource(value = HealthCodeColour.class, names = {"GREEN", "YELLOW", "RED"})
    void eachColourComesThroughTheRoute(HealthCodeColour colour) {
        answers(status(colour, "5101**********1234"));
        assertThat(answer()).isEqualTo(new SourceAnswer.HealthCode("sichuan-tfjkt", colour, "",
                java.util.Optional.of(Instant.parse("2022-01-04T15:59:59Z")), "51", Instant.parse("2022-01-04T01:00:00Z"), "王*",
                java.util.Optional.empty(), java.util.Optional.empty()));
        assertThat(lastRequest.get().getTraveler().getDocumentNumber()).isEqualTo(NUMBER);
        assertThat(lastRequest.get().getTraveler().getPhoneNumber()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = Provenance.Kind.class, names = {"CACHED", "STALE"})
    void anAnswerTheProvinceHeldIsCarriedWithItsAgeNotAsLive(Provenance.Kind kind) {
        TravelerStatus status = status(HealthCodeColour.GREEN, "5101**********1234");
        answers(status.toBuilder().setHealthCode(status.getHealthCode().toBuilder()
                .setProvenance(Provenance.newBuilder().setKind(kind).setAge(com.google.protobuf.Duration.newBuilder().setSeconds(300)))).build());
        assertThat(answer().upstreamAge()).contains(java.time.Duration.ofMinutes(5));
    }

    @ParameterizedTest
    @EnumSource(value = Provenance.Kind.class, names = {"CACHED", "STALE", "KIND_UNSPECIFIED", "SIGNED_TOKEN"})
    void anAnswerOfUnknownFreshnessIsRefused(Provenance.Kind kind) {
        TravelerStatus status = status(HealthCodeColour.GREEN, "5101**********1234");
        answers(status.toBuilder().setHealthCode(status.getHealthCode().toBuilder()
                .setProvenance(Provenance.newBuilder().setKind(kind))).build());
        assertThat(failure("sichuan-tfjkt")).isInstanceOf(RejectedAnswer.class).hasMessageContaining("health_code.provenance");
    }

    @Test
    void notFoundIsNoRecord() {
        fails(Status.NOT_FOUND);
        assertThat(answer()).isInstanceOf(SourceAnswer.NotFound.class);
    }

    @Test
    void anotherTravelerIsRefused() {
        answers(status(HealthCodeColour.GREEN, "5101**********9999"));
        assertThat(failure("sichuan-tfjkt")).isInstanceOf(RejectedAnswer.class).hasMessageContaining("masked_document_number");
    }

    @Test
    void aNumberRevealingFewerThanEightCharactersIsRefused() {
        answers(status(HealthCodeColour.GREEN, "5101**************"));
        assertThat(failure("sichuan-tfjkt")).isInstanceOf(RejectedAnswer.class)
                .hasMessage("sichuan-tfjkt: field 'masked_document_number' reveals only 4 characters of the document number;"
                        + " at least 8 are needed to tell travelers apart");
        answers(status(HealthCodeColour.GREEN, "5101**********1234"));
        assertThat(answer()).isInstanceOf(SourceAnswer.HealthCode.class);
    }

    @Test
    void noColourIsRefused() {
        answers(status(HealthCodeColour.HEALTH_CODE_COLOUR_UNSPECIFIED, "5101**********1234"));
        assertThat(failure("sichuan-tfjkt")).isInstanceOf(RejectedAnswer.class).hasMessageContaining("health_code.colour");
    }

    @Test
    void errorStatusesNameTheCodeButNotTheDescription() {
        for (Status status : new Status[] {Status.UNAVAILABLE, Status.INTERNAL, Status.RESOURCE_EXHAUSTED, Status.UNAUTHENTICATED}) {
            fails(status);
            assertThat(failure("sichuan-tfjkt")).isInstanceOf(RejectedAnswer.class)
                    .hasMessage("sichuan-tfjkt: gRPC status " + status.getCode().name());
        }
    }

    @Test
    void aServerThatNeverAnswersIsCutOffByTheSourceTimeout() {
        province.set((request, response) -> { });
        long start = System.nanoTime();
        Throwable cause = failure("sichuan-tfjkt");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(cause).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("DEADLINE_EXCEEDED");
        assertThat(millis).isBetween(SourceHarness.TIMEOUT.toMillis() - 50, SourceHarness.TIMEOUT.toMillis() * 3);
    }

    @Test
    void anOversizedMessageIsRefusedByTheChannel() {
        TravelerStatus status = status(HealthCodeColour.GREEN, "5101**********1234");
        answers(status.toBuilder().setMaskedName("王".repeat(MAX_BODY)).build());
        assertThat(failure("sichuan-tfjkt")).isInstanceOf(RejectedAnswer.class).hasMessage("sichuan-tfjkt: gRPC status RESOURCE_EXHAUSTED");
        // The channel is still good for the next answer.
        answers(status);
        assertThat(answer()).isInstanceOf(SourceAnswer.HealthCode.class);
    }

    @Test
    void aProvinceThatIsDownIsUnavailable() {
        assertThat(failure("nobody-grpc")).isInstanceOf(RejectedAnswer.class).hasMessage("nobody-grpc: gRPC status UNAVAILABLE");
    }
}
