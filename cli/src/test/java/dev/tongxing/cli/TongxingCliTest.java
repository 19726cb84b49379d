package dev.tongxing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.HealthCodeComponent;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelCardColour;
import dev.tongxing.api.v1.TravelCardComponent;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.Verdict;
import dev.tongxing.api.v1.VisitedCity;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI against a real gRPC server on loopback standing in for the hub. */
class TongxingCliTest {

    private final AtomicReference<GetStatusRequest> received = new AtomicReference<>();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private Server hub;
    private com.sun.net.httpserver.HttpServer tokenEndpoint;

    @BeforeEach
    void startHub() throws Exception {
        hub = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new TravelerStatusServiceGrpc.TravelerStatusServiceImplBase() {
                    @Override
                    public void getStatus(GetStatusRequest request, StreamObserver<TravelerStatus> response) {
                        received.set(request);
                        if (request.getTraveler().getDocumentNumber().equals("bad")) {
                            response.onError(Status.INVALID_ARGUMENT.withDescription("traveler.document_number: not a valid resident ID").asRuntimeException());
                            return;
                        }
                        response.onNext(TravelerStatus.newBuilder()
                                .setMaskedName("王*").setMaskedDocumentNumber("6101**********1000")
                                .setHealthCode(HealthCodeComponent.newBuilder().setColour(HealthCodeColour.GREEN).setIssuingProvince("61")
                                        .setProvenance(Provenance.newBuilder().setKind(Provenance.Kind.CACHED).setSourceId("shaanxi-ymt").setAge(Durations.fromSeconds(12))))
                                .setTravelCard(TravelCardComponent.newBuilder().setColour(TravelCardColour.TRAVEL_GREEN).setMaskedPhone("138****0000").setWindowDays(14)
                                        .addCities(VisitedCity.newBuilder().setName("陕西省西安市").setStarred(true))
                                        .setProvenance(Provenance.newBuilder().setKind(Provenance.Kind.STALE).setSourceId("travel-card").setAge(Durations.fromSeconds(600))
                                                .setReason("travel-card: connection refused")))
                                .setVerdict(Verdict.newBuilder().setDecision(Verdict.Decision.CHECK_MANUALLY).setPolicyId("default")
                                        .addReasons("passed through 陕西省西安市 (medium- or high-risk areas)"))
                                .build());
                        response.onCompleted();
                    }
                })
                .intercept(new io.grpc.ServerInterceptor() {
                    @Override
                    public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, A> call, io.grpc.Metadata headers,
                                                                             io.grpc.ServerCallHandler<Q, A> next) {
                        authorization.set(headers.get(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER)));
                        return next.startCall(call, headers);
                    }
                })
                .build().start();
    }

    @AfterEach
    void stopHub() {
        hub.shutdownNow();
        if (tokenEndpoint != null) {
            tokenEndpoint.stop(0);
        }
    }

    @Test
    void sendsTheGivenTokenAsABearer() {
        run(0, "--token", "a-given-token", "status", "--resident-id", "610102196001011000");
        assertThat(authorization.get()).isEqualTo("Bearer a-given-token");
    }

    @Test
    void fetchesATokenWithTheClientCredentialsGrant() throws Exception {
        AtomicReference<String> form = new AtomicReference<>();
        tokenEndpoint = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokenEndpoint.createContext("/token", exchange -> {
            form.set(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            byte[] body = "{\"access_token\":\"fetched-token\",\"token_type\":\"Bearer\",\"expires_in\":300}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        tokenEndpoint.start();
        String tokenUrl = "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/token";

        run(0, "--token-url", tokenUrl, "--client-id", "checkpoint-xian-north", "--client-secret", "s3cret",
                "status", "--resident-id", "610102196001011000");
        assertThat(authorization.get()).isEqualTo("Bearer fetched-token");
        assertThat(form.get()).contains("grant_type=client_credentials", "client_id=checkpoint-xian-north", "client_secret=s3cret");

        String err = run(2, "--token-url", "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/missing",
                "status", "--resident-id", "610102196001011000")[1];
        assertThat(err).startsWith("UNAUTHENTICATED: token endpoint");
    }

    private String[] run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        boolean ownToken = java.util.Arrays.asList(args).contains("--token") || java.util.Arrays.asList(args).contains("--token-url");
        java.util.List<String> withHub = new java.util.ArrayList<>(java.util.List.of("--hub", "127.0.0.1:" + hub.getPort()));
        if (!ownToken) {
            withHub.addAll(java.util.List.of("--token", "cli-test-token"));
        }
        withHub.addAll(java.util.List.of(args));
        assertThat(TongxingCli.run(new PrintWriter(out), new PrintWriter(err), withHub.toArray(String[]::new)))
                .as(err::toString).isEqualTo(expectedExit);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void printsTheVerdictEachComponentAndWhereItCameFrom() {
        String out = run(0, "status", "--resident-id", "610102196001011000", "--phone", "13800000000", "--checkpoint", "XIAN-NORTH")[0];

        assertThat(received.get().getTraveler().getDocumentNumber()).isEqualTo("610102196001011000");
        assertThat(received.get().getTraveler().getPhoneNumber()).isEqualTo("13800000000");
        assertThat(received.get().getCheckpointId()).isEqualTo("XIAN-NORTH");
        assertThat(out).contains("Verdict    CHECK_MANUALLY  [policy default]")
                .contains("- passed through 陕西省西安市 (medium- or high-risk areas)")
                .contains("[CACHED from shaanxi-ymt, age 12 s]")
                .contains("[STALE from travel-card, age 600 s: travel-card: connection refused]")
                .contains("14-day window: 陕西省西安市*");
    }

    @Test
    void printsJsonOnRequest() {
        String out = run(0, "--json", "status", "--resident-id", "610102196001011000")[0];
        assertThat(out).contains("\"maskedName\": \"王*\"").contains("\"kind\": \"STALE\"");
    }

    @Test
    void reportsTheHubsErrorAndExitsNonZero() {
        String err = run(2, "status", "--resident-id", "bad")[1];
        assertThat(err).contains("INVALID_ARGUMENT: traveler.document_number: not a valid resident ID");
    }
}
