package dev.tongxing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import dev.tongxing.api.offline.DocumentDigest;
import dev.tongxing.api.offline.EcKeys;
import dev.tongxing.api.offline.ProvinceKeys;
import dev.tongxing.api.offline.SignedCode;
import dev.tongxing.api.offline.SignedCodes;
import dev.tongxing.api.offline.TrustLists;
import dev.tongxing.api.offline.TrustedKey;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.GetTrustListRequest;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.ProvinceKey;
import dev.tongxing.api.v1.SignedTrustList;
import dev.tongxing.api.v1.TrustList;
import dev.tongxing.api.v1.TrustListServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint saves the trust list from a hub (a real gRPC server on loopback standing in for
 * it), the hub stops, and the checkpoint still decides: same answer shape, SIGNED_TOKEN.
 */
class OfflineVerifyCliTest {

    /** A simulated Shaanxi resident; the number stays in the test. */
    static final String RESIDENT = "610102196001011000";

    private final KeyPair ministry = EcKeys.generate();
    private final KeyPair shaanxi = EcKeys.generate();
    private final String ministryKey = EcKeys.encode(ministry.getPublic());
    private Server hub;
    private int port;

    @TempDir
    Path dir;

    @BeforeEach
    void startHub() throws Exception {
        Instant now = Instant.now();
        TrustList list = TrustList.newBuilder().setIssuer("tongxing-hub")
                .setIssuedAt(Timestamps.fromMillis(now.toEpochMilli()))
                .setValidUntil(Timestamps.fromMillis(now.plus(Duration.ofDays(7)).toEpochMilli()))
                .addKeys(ProvinceKeys.entry(new TrustedKey("sx-2026", "61", "shaanxi-ymt", (ECPublicKey) shaanxi.getPublic(),
                        now.minus(Duration.ofDays(30)), Optional.empty(), ProvinceKey.Status.ACTIVE)))
                .build();
        SignedTrustList signed = TrustLists.sign(list, (ECPrivateKey) ministry.getPrivate(), "ministry-test");
        hub = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new TrustListServiceGrpc.TrustListServiceImplBase() {
                    @Override
                    public void getTrustList(GetTrustListRequest request, StreamObserver<SignedTrustList> response) {
                        response.onNext(signed);
                        response.onCompleted();
                    }
                })
                .build().start();
        port = hub.getPort();
    }

    @AfterEach
    void stopHub() {
        hub.shutdownNow();
    }

    private String code(HealthCodeColour colour, Duration age) {
        Instant issued = Instant.now().minus(age);
        return SignedCodes.sign(new SignedCode("61", "sx-2026", "王*", DocumentDigest.of(DocumentType.RESIDENT_ID, RESIDENT), colour,
                issued, issued.plus(Duration.ofHours(24))), (ECPrivateKey) shaanxi.getPrivate());
    }

    private record Run(int exit, String out, String err) {}

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 4];
        all[0] = "--hub";
        all[1] = "127.0.0.1:" + port;
        all[2] = "--token";
        all[3] = "checkpoint-token";
        System.arraycopy(args, 0, all, 4, args.length);
        int exit = TongxingCli.run(new PrintWriter(out), new PrintWriter(err), all);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path savedListWithHubStopped() throws InterruptedException {
        Path file = dir.resolve("trust-list.json");
        Run saved = cli("trust-list", "save", file.toString(), "--ministry-key", ministryKey);
        assertThat(saved.exit()).as(saved.err()).isZero();
        assertThat(saved.out()).contains("Saved trust list of 1 keys, signed by ministry-test");
        hub.shutdownNow();
        assertThat(hub.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        return file;
    }

    @Test
    void withTheHubStoppedACheckpointStillDecidesFromTheSavedList() throws Exception {
        Path file = savedListWithHubStopped();

        Run green = cli("verify", "--offline", "--trust-list", file.toString(), "--ministry-key", ministryKey,
                "--resident-id", RESIDENT, code(HealthCodeColour.GREEN, Duration.ofHours(2)));
        assertThat(green.exit()).as(green.err()).isZero();
        assertThat(green.out())
                .contains("Traveler   王*")
                .contains("Verdict    PASS  [policy offline]")
                .containsPattern("Health     GREEN +province 61  \\[SIGNED_TOKEN from shaanxi-ymt, age 7\\d{3} s: verified offline")
                .contains("Travel     TRAVEL_CARD_COLOUR_UNSPECIFIED")
                .contains("Code       SIGNED by province 61 (key sx-2026)")
                .contains("document checked");

        Run red = cli("--json", "verify", "--offline", "--trust-list", file.toString(), "--ministry-key", ministryKey,
                code(HealthCodeColour.RED, Duration.ofMinutes(5)));
        assertThat(red.exit()).isZero();
        assertThat(red.out()).contains("\"kind\": \"SIGNED_TOKEN\"").contains("\"decision\": \"STOP\"").contains("\"colour\": \"RED\"");

        // This checkpoint's own policy: signed codes up to one hour.
        Run old = cli("verify", "--offline", "--trust-list", file.toString(), "--ministry-key", ministryKey,
                "--max-signed-age", "PT1H", code(HealthCodeColour.GREEN, Duration.ofHours(3)));
        assertThat(old.out()).contains("Verdict    CHECK_MANUALLY  [policy offline]").contains("takes signed codes up to 1 h 0 min");
    }

    @Test
    void aTamperedListOrAnotherMinistryKeyIsRefused() throws Exception {
        Path file = savedListWithHubStopped();
        String json = Files.readString(file);
        // Flip one character of the signed bytes (base64 in the JSON's trustList field).
        int at = json.indexOf("\"trustList\": \"") + 20;
        char flipped = json.charAt(at) == 'A' ? 'B' : 'A';
        Path tampered = dir.resolve("tampered.json");
        Files.writeString(tampered, json.substring(0, at) + flipped + json.substring(at + 1));

        Run run = cli("verify", "--offline", "--trust-list", tampered.toString(), "--ministry-key", ministryKey,
                code(HealthCodeColour.GREEN, Duration.ofMinutes(5)));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("FAILED_PRECONDITION: trust list signature does not verify");
        assertThat(run.out()).isEmpty();

        Run otherKey = cli("verify", "--offline", "--trust-list", file.toString(), "--ministry-key", EcKeys.encode(EcKeys.generate().getPublic()),
                code(HealthCodeColour.GREEN, Duration.ofMinutes(5)));
        assertThat(otherKey.exit()).isEqualTo(2);
        assertThat(otherKey.err()).contains("trust list signature does not verify");
    }

    @Test
    void aForgedCodeOrAnotherTravelersDocumentIsRefusedOffline() throws Exception {
        Path file = savedListWithHubStopped();
        String forged = SignedCodes.sign(new SignedCode("61", "sx-2026", "王*", DocumentDigest.of(DocumentType.RESIDENT_ID, RESIDENT),
                HealthCodeColour.GREEN, Instant.now(), Instant.now().plus(Duration.ofHours(24))), (ECPrivateKey) EcKeys.generate().getPrivate());
        Run run = cli("verify", "--offline", "--trust-list", file.toString(), "--ministry-key", ministryKey, forged);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("INVALID_ARGUMENT: payload: signature does not verify with key sx-2026");

        Run other = cli("verify", "--offline", "--trust-list", file.toString(), "--ministry-key", ministryKey,
                "--resident-id", "610102196001011019", code(HealthCodeColour.GREEN, Duration.ofMinutes(5)));
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err()).contains("presented document is not the one this code was issued for");
    }

    @Test
    void offlineNeedsTheMinistryKey() throws Exception {
        Path file = savedListWithHubStopped();
        Run run = cli("verify", "--offline", "--trust-list", file.toString(), code(HealthCodeColour.GREEN, Duration.ofMinutes(5)));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--ministry-key is required");
    }
}
