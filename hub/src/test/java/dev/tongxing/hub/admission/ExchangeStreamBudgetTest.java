package dev.tongxing.hub.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.hub.config.AdmissionProperties;
import dev.tongxing.hub.security.Caller;
import io.grpc.Context;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Exchange streams' own budget: a cap per peer, a cap in all, and neither touches the scans' slots. */
class ExchangeStreamBudgetTest {

    private final AdmissionController admission = new AdmissionController(
            new AdmissionProperties(4, 0.5, 0.1, Duration.ofMillis(250), 3, 2), new SimpleMeterRegistry());

    @Test
    void eachPeerHasItsCapAndAllPeersShareTheBudget() {
        assertThat(admission.tryAdmitStream("client:shaanxi")).isEmpty();
        assertThat(admission.tryAdmitStream("client:shaanxi")).isEmpty();
        assertThat(admission.tryAdmitStream("client:shaanxi")).hasValueSatisfying(refusal ->
                assertThat(refusal).contains("tongxing.admission.max-streams-per-peer"));
        assertThat(admission.tryAdmitStream("client:guangdong")).isEmpty();
        assertThat(admission.tryAdmitStream("client:beijing")).hasValueSatisfying(refusal ->
                assertThat(refusal).startsWith("hub at capacity for exchange streams (3 open, tongxing.admission.max-streams)"));

        // Exchange streams hold none of the four scan slots.
        for (int i = 0; i < 4; i++) {
            assertThat(admission.tryAdmit(Priority.SCAN)).isTrue();
        }
        assertThat(admission.inFlight()).isEqualTo(4);

        admission.releaseStream("client:shaanxi");
        assertThat(admission.streamsOf("client:shaanxi")).isEqualTo(1);
        assertThat(admission.tryAdmitStream("client:beijing")).isEmpty();
        assertThat(admission.streams()).isEqualTo(3);
    }

    @Test
    void thePeerIsTheAuthenticatedClientWhenThereIsOne() throws Exception {
        Caller caller = new Caller("svc-sxjkm", "shaanxi-exchange", Set.of(), Optional.of("61"));
        String peer = caller.attach(Context.current()).call(() -> AdmissionInterceptor.peerOf(null));
        assertThat(peer).isEqualTo("client:shaanxi-exchange");
    }
}
