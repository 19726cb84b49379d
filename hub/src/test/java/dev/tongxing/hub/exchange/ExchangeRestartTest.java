package dev.tongxing.hub.exchange;

import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.TestIssuer;
import static dev.tongxing.hub.exchange.ExchangeClient.change;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.ChangeAck.Outcome;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.StatusChange;
import dev.tongxing.hub.TongxingHub;
import dev.tongxing.hub.support.Simulators;
import dev.tongxing.hub.server.GrpcServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The store, not memory, is the truth: idempotency and version order survive a hub restart. */
class ExchangeRestartTest {

    @TempDir
    Path store;

    @Test
    void idempotencyAndVersionOrderSurviveARestartOnTheSameStore() throws Exception {
        StatusChange red = change(0, 3, HealthCodeColour.RED, "close contact");
        try (ConfigurableApplicationContext hub = startHub();
             ExchangeClient client = new ExchangeClient(hub.getBean(GrpcServer.class).port());
             ExchangeClient.Publication publication = client.publish()) {
            assertThat(publication.send(red).getOutcome()).isEqualTo(Outcome.APPLIED);
        }

        try (ConfigurableApplicationContext hub = startHub();
             ExchangeClient client = new ExchangeClient(hub.getBean(GrpcServer.class).port())) {
            try (ExchangeClient.Publication publication = client.publish()) {
                assertThat(publication.send(red).getOutcome()).isEqualTo(Outcome.DUPLICATE);
                assertThat(publication.send(change(0, 2, HealthCodeColour.GREEN, "")).getOutcome()).isEqualTo(Outcome.SUPERSEDED);
                assertThat(publication.send(change(0, 3, HealthCodeColour.GREEN, "")).getOutcome()).isEqualTo(Outcome.SUPERSEDED);
                assertThat(publication.send(change(0, 4, HealthCodeColour.YELLOW, "released to home watch")).getOutcome())
                        .isEqualTo(Outcome.APPLIED);
            }
            assertThat(client.status(0, "").getHealthCode().getColour()).isEqualTo(HealthCodeColour.YELLOW);
        }
    }

    private ConfigurableApplicationContext startHub() {
        // Arguments, not default properties: they must win over application.yml.
        return new SpringApplicationBuilder(TongxingHub.class, Simulators.class).run(
                "--tongxing.grpc.port=0",
                "--tongxing.demo.port=" + FreePorts.next(),
                "--tongxing.demo.grpc-port=" + FreePorts.next(),
                "--tongxing.exchange.store-dir=" + store,
                "--tongxing.security.issuer=" + TestIssuer.get().issuer());
    }
}
