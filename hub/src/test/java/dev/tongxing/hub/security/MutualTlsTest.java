package dev.tongxing.hub.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tongxing.adapters.TlsFiles;
import dev.tongxing.api.v1.ChangeAck;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.RpcProbe;
import dev.tongxing.hub.support.ScratchDirectories;
import dev.tongxing.hub.support.TestCertificates;
import dev.tongxing.hub.support.TestIssuer;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Mutual TLS both ways, with certificates from a throw-away CA: provinces connect to the hub with
 * certificates naming their province, which bind the call to that province; the hub calls a
 * province that demands a client certificate with its own; certificates rotate without a restart.
 */
@SpringBootTest(properties = {"tongxing.grpc.port=0"})
class MutualTlsTest {

    static final Path DIR;
    static final TestCertificates PKI;
    static final TestCertificates.Issued HUB;
    static final TestCertificates.Issued SHAANXI;
    static final TestCertificates.Issued GUANGDONG;
    static final TestCertificates.Issued HUB_AS_CLIENT;
    static final WireMockServer SHAANXI_PLATFORM;

    static {
        DIR = ScratchDirectories.create("tongxing-mtls");
        PKI = new TestCertificates(DIR, "test-ca");
        HUB = PKI.server("hub");
        SHAANXI = PKI.province("shaanxi-system", "61");
        GUANGDONG = PKI.province("guangdong-system", "44");
        HUB_AS_CLIENT = PKI.client("hub-client");
        // Shaanxi's platform over HTTPS, refusing any client without a certificate from the CA.
        TestCertificates.Issued platform = PKI.server("shaanxi-platform");
        SHAANXI_PLATFORM = new WireMockServer(options().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
                .keystorePath(platform.pkcs12(DIR.resolve("platform.p12"), "secret", PKI.ca()).toString())
                .keystorePassword("secret").keyManagerPassword("secret").keystoreType("PKCS12")
                .needClientAuth(true)
                .trustStorePath(PKI.trustStore(DIR.resolve("trust.p12"), "secret").toString())
                .trustStorePassword("secret").trustStoreType("PKCS12"));
        SHAANXI_PLATFORM.start();
        SHAANXI_PLATFORM.stubFor(post(urlEqualTo("/ymt/61/api/v1/query")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody("""
                        {"zt":"0","xx":"成功","sj":{"xm":"王*","zjhm":"6101**********1138","mys":"lvma","yy":"",
                         "yxq":"2099-12-31 23:59:59","gxsj":"2022-01-04 09:00:00"}}
                        """)));
    }

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) {
        FreePorts.demoOnFreePorts(registry);
        TestIssuer.register(registry);
        registry.add("tongxing.security.mtls.enabled", () -> "true");
        registry.add("tongxing.security.mtls.certificate-chain", HUB.chain()::toString);
        registry.add("tongxing.security.mtls.private-key", HUB.key()::toString);
        registry.add("tongxing.security.mtls.trust", PKI.caFile()::toString);
        registry.add("tongxing.security.mtls.client-auth", () -> "optional");
        registry.add("tongxing.security.mtls.require-for-provinces", () -> "true");
        registry.add("tongxing.security.mtls.refresh", () -> "200ms");
        registry.add("tongxing.sources.shaanxi-ymt.endpoint", () -> "https://127.0.0.1:" + SHAANXI_PLATFORM.httpsPort() + "/ymt/61/api/v1/query");
        // A first TLS handshake on a busy test machine can take longer than the production 800 ms.
        registry.add("tongxing.sources.shaanxi-ymt.timeout", () -> "5s");
        registry.add("tongxing.sources.shaanxi-ymt.tls.certificate-chain", HUB_AS_CLIENT.chain()::toString);
        registry.add("tongxing.sources.shaanxi-ymt.tls.private-key", HUB_AS_CLIENT.key()::toString);
        registry.add("tongxing.sources.shaanxi-ymt.tls.trust", PKI.caFile()::toString);
    }

    @AfterAll
    static void stopPlatform() {
        SHAANXI_PLATFORM.stop();
    }

    @Autowired
    GrpcServer server;

    final TestIssuer issuer = TestIssuer.get();
    final CallCredentials shaanxiToken = TestIssuer.bearer(issuer.token("shaanxi-system", "61", Role.PROVINCE_SYSTEM));

    @Test
    void aProvinceCertificateBindsTheCallToThatProvince() throws Exception {
        try (Connection asShaanxi = connect(SHAANXI); Connection asGuangdong = connect(GUANGDONG); Connection anonymous = connect(null)) {
            ChangeAck ack = RpcProbe.publish(asShaanxi.channel, shaanxiToken, RpcProbe.change(RpcProbe.shaanxiResident(), "61"));
            assertThat(ack.getOutcome()).isEqualTo(ChangeAck.Outcome.APPLIED);

            // Guangdong's certificate carrying Shaanxi's token: one province cannot act as another.
            assertThat(RpcProbe.call(asGuangdong.channel, RpcProbe.Rpc.PUBLISH_STATUS_CHANGES, shaanxiToken)).isEqualTo(Status.Code.PERMISSION_DENIED);
            // A province without a certificate is refused here (require-for-provinces); a checkpoint is not.
            assertThat(RpcProbe.call(anonymous.channel, RpcProbe.Rpc.PUBLISH_STATUS_CHANGES, shaanxiToken)).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(RpcProbe.call(anonymous.channel, RpcProbe.Rpc.GET_STATUS, TestIssuer.bearer(issuer.checkpointToken())))
                    .isEqualTo(Status.Code.OK);
        }
    }

    @Test
    void theHubPresentsItsClientCertificateToAProvinceThatDemandsOne() throws Exception {
        // Without a certificate the platform refuses the handshake...
        assertThatThrownBy(() -> HttpClient.newBuilder().sslContext(TlsFiles.load(null, null, PKI.caFile().toString(), true, Duration.ofMinutes(1)).sslContext())
                .build().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + SHAANXI_PLATFORM.httpsPort() + "/ymt/61/api/v1/query"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        // ...and the hub, with its certificate for Shaanxi, gets a live answer.
        try (Connection checkpoint = connect(null)) {
            TravelerStatus status = TravelerStatusServiceGrpc.newBlockingStub(checkpoint.channel)
                    .withCallCredentials(TestIssuer.bearer(issuer.checkpointToken())).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getStatus(GetStatusRequest.newBuilder().setTraveler(RpcProbe.shaanxiResident().toBuilder()
                            .setDocumentNumber("610103196001011138")).build());
            assertThat(status.getHealthCode().getProvenance().getKind()).as(status.getHealthCode().getProvenance().getReason())
                    .isEqualTo(Provenance.Kind.LIVE);
            assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
        }
    }

    @Test
    void theHubsCertificateRotatesWithoutARestart() throws Exception {
        X509Certificate before;
        try (Connection first = connect(null)) {
            before = first.serverCertificate();
        }
        TestCertificates.Issued renewed = PKI.server("hub");   // same files, new certificate
        assertThat(renewed.certificate().getSerialNumber()).isNotEqualTo(before.getSerialNumber());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            try (Connection next = connect(null)) {
                assertThat(next.serverCertificate().getSerialNumber()).isEqualTo(renewed.certificate().getSerialNumber());
            }
        });
    }

    /** A TLS connection to the hub, optionally with a client certificate. */
    Connection connect(TestCertificates.Issued client) {
        TlsFiles files = TlsFiles.load(client == null ? null : client.chain().toString(), client == null ? null : client.key().toString(),
                PKI.caFile().toString(), true, Duration.ofMinutes(1));
        TlsChannelCredentials.Builder credentials = TlsChannelCredentials.newBuilder().trustManager(files.trust().orElseThrow());
        files.keys().ifPresent(credentials::keyManager);
        return new Connection(credentials.build(), server.port());
    }

    static final class Connection implements AutoCloseable {
        final ManagedChannel channel;
        final AtomicReference<SSLSession> session = new AtomicReference<>();

        Connection(ChannelCredentials credentials, int port) {
            channel = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials)
                    .intercept(new ClientInterceptor() {
                        @Override
                        public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
                            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                                @Override
                                public void start(Listener<A> listener, Metadata headers) {
                                    super.start(new io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                                        @Override
                                        public void onHeaders(Metadata received) {
                                            session.set(getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
                                            super.onHeaders(received);
                                        }
                                    }, headers);
                                }
                            };
                        }
                    })
                    .build();
        }

        X509Certificate serverCertificate() throws Exception {
            io.grpc.health.v1.HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance());
            return (X509Certificate) session.get().getPeerCertificates()[0];
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
