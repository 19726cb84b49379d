package dev.tongxing.hub.exchange;

import dev.tongxing.hub.support.FreePorts;
import static dev.tongxing.hub.exchange.ExchangeClient.change;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.ChangeAck;
import dev.tongxing.api.v1.ChangeNotice;
import dev.tongxing.hub.support.ScratchDirectories;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.api.v1.ChangeAck.Outcome;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.ProvinceExchangeGrpc;
import dev.tongxing.api.v1.StatusChange;
import dev.tongxing.api.v1.SubscribeRequest;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.hub.TongxingHub;
import dev.tongxing.hub.support.Simulators;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.simulators.SimulatedPopulation;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** ProvinceExchange over a real gRPC channel on loopback, against the demo Shaanxi system. */
@SpringBootTest(classes = {TongxingHub.class, Simulators.class})
class ExchangeGrpcTest {

    static final Path STORE;
    static final String GUANGZHOU_SOUTH = "checkpoint-guangzhou-south";
    static final String XIAN_NORTH = "checkpoint-xian-north";

    static {
        STORE = ScratchDirectories.create("tongxing-exchange-test");
    }

    @DynamicPropertySource
    static void hub(DynamicPropertyRegistry registry) {
        registry.add("tongxing.grpc.port", () -> "0");
        int demoPort = FreePorts.next();
        int demoGrpcPort = FreePorts.next();
        registry.add("tongxing.demo.port", () -> demoPort);
        registry.add("tongxing.demo.grpc-port", () -> demoGrpcPort);
        // Its own store, kept in STORE because the test reads it back.
        registry.add("tongxing.exchange.store-dir", STORE::toString);
        TestIssuer.register(registry);
    }

    @Autowired GrpcServer server;
    @Autowired ChangeSubscriptions subscriptions;
    @Autowired JdbcTemplate jdbc;
    @Autowired TravelerPseudonyms pseudonyms;

    ExchangeClient client;

    @BeforeEach
    void connect() {
        client = new ExchangeClient(server.port());
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        client.close();
    }

    @Test
    void pushedColourIsSeenByTheVeryNextLookup() throws Exception {
        TravelerStatus before = client.status(0, XIAN_NORTH);
        assertThat(before.getHealthCode().getColour()).isEqualTo(HealthCodeColour.GREEN);
        assertThat(before.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.LIVE);

        try (ExchangeClient.Publication publication = client.publish()) {
            // The change names the traveler without a phone; the lookup uses one: both must see it.
            StatusChange red = change(0, 1, HealthCodeColour.RED, "close contact of a confirmed case");
            ChangeAck ack = publication.send(red);
            assertThat(ack.getOutcome()).isEqualTo(Outcome.APPLIED);
            assertThat(ack.getChangeId()).isEqualTo(red.getChangeId());
            assertThat(storedVersions(0)).containsExactly(1L);
        }

        TravelerStatus after = client.status(0, XIAN_NORTH);
        assertThat(after.getHealthCode().getColour()).isEqualTo(HealthCodeColour.RED);
        assertThat(after.getHealthCode().getReason()).isEqualTo("close contact of a confirmed case");
        assertThat(after.getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.CACHED);
        assertThat(after.getHealthCode().getProvenance().getSourceId()).isEqualTo("shaanxi-ymt");
        assertThat(after.getMaskedName()).isEqualTo(before.getMaskedName());
    }

    @Test
    void repeatedChangeIdIsDuplicateAndAppliedOnce() throws Exception {
        try (ExchangeClient.Publication publication = client.publish()) {
            StatusChange yellow = change(20, 1, HealthCodeColour.YELLOW, "arrived from a medium-risk area");
            assertThat(publication.send(yellow).getOutcome()).isEqualTo(Outcome.APPLIED);
            ChangeAck again = publication.send(yellow);
            assertThat(again.getOutcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(again.getChangeId()).isEqualTo(yellow.getChangeId());
            // Even with a higher version, the same id is the same change.
            assertThat(publication.send(yellow.toBuilder().setVersion(7).setColour(HealthCodeColour.RED).build()).getOutcome())
                    .isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(storedVersions(20)).containsExactly(1L);
        assertThat(client.status(20, "").getHealthCode().getColour()).isEqualTo(HealthCodeColour.YELLOW);
    }

    @Test
    void olderVersionIsSupersededAndTheNewerColourStays() throws Exception {
        try (ExchangeClient.Publication publication = client.publish()) {
            assertThat(publication.send(change(40, 5, HealthCodeColour.RED, "positive test")).getOutcome()).isEqualTo(Outcome.APPLIED);
            ChangeAck older = publication.send(change(40, 4, HealthCodeColour.GREEN, ""));
            assertThat(older.getOutcome()).isEqualTo(Outcome.SUPERSEDED);
            assertThat(older.getReason()).contains("held version 5");
            assertThat(publication.send(change(40, 5, HealthCodeColour.GREEN, "")).getOutcome()).isEqualTo(Outcome.SUPERSEDED);
        }
        TravelerStatus status = client.status(40, "");
        assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.RED);
        assertThat(status.getHealthCode().getReason()).isEqualTo("positive test");
        assertThat(storedVersions(40)).containsExactly(5L);
    }

    @Test
    void invalidChangesAreRejectedNamingTheFieldAndTheStreamGoesOn() throws Exception {
        StatusChange valid = change(60, 1, HealthCodeColour.YELLOW, "");
        String tampered = SimulatedPopulation.traveler(60).residentId().substring(0, 17) + "?";
        try (ExchangeClient.Publication publication = client.publish()) {
            assertRejected(publication.send(valid.toBuilder().clearChangeId().build()), "change_id:");
            assertRejected(publication.send(valid.toBuilder().setTraveler(valid.getTraveler().toBuilder().setDocumentNumber(tampered)).build()),
                    "traveler.document_number:");
            assertRejected(publication.send(valid.toBuilder().setProvince("99").build()), "province:");
            assertDenied(publication.send(valid.toBuilder().setProvince("44").build()), "province:");
            assertRejected(publication.send(valid.toBuilder().setVersion(0).build()), "version:");
            assertRejected(publication.send(valid.toBuilder().clearColour().build()), "colour:");
            // A Yunnan-issued code: Yunnan has no health-code source onboarded here.
            StatusChange yunnan = valid.toBuilder().setProvince("53")
                    .setTraveler(valid.getTraveler().toBuilder().setIssuingProvince("53")).build();
            assertDenied(publication.send(yunnan), "province:");
            assertThat(publication.send(valid).getOutcome()).isEqualTo(Outcome.APPLIED);
        }
        assertThat(storedVersions(60)).containsExactly(1L);
        List<String> stored = jdbc.queryForList("SELECT pseudonym || ' ' || change_id || ' ' || reason FROM applied_change", String.class);
        assertThat(String.join("\n", stored)).doesNotContain(SimulatedPopulation.traveler(60).residentId());
    }

    @Test
    void concurrentStreamsForOneTravelerKeepVersionOrderAndApplyAnIdOnce() throws Exception {
        int streams = 4;
        int versions = 40;
        List<List<StatusChange>> perStream = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            perStream.add(new ArrayList<>());
        }
        List<Integer> order = new ArrayList<>();
        for (int v = 1; v <= versions; v++) {
            order.add(v);
        }
        Collections.shuffle(order, new java.util.Random(7));
        for (int i = 0; i < versions; i++) {
            int version = order.get(i);
            perStream.get(i % streams).add(change(80, version,
                    version == versions ? HealthCodeColour.RED : HealthCodeColour.YELLOW, "v" + version));
        }
        StatusChange shared = change(100, 1, HealthCodeColour.YELLOW, "sent by every stream");

        ExecutorService pool = Executors.newFixedThreadPool(streams);
        try {
            List<Future<List<ChangeAck>>> results = new ArrayList<>();
            for (List<StatusChange> changes : perStream) {
                results.add(pool.submit((Callable<List<ChangeAck>>) () -> {
                    List<ChangeAck> acks = new ArrayList<>();
                    try (ExchangeClient.Publication publication = client.publish()) {
                        acks.add(publication.send(shared));
                        for (StatusChange change : changes) {
                            acks.add(publication.send(change));
                        }
                    }
                    return acks;
                }));
            }
            List<ChangeAck> acks = new ArrayList<>();
            for (Future<List<ChangeAck>> result : results) {
                acks.addAll(result.get(60, TimeUnit.SECONDS));
            }
            assertThat(acks.stream().filter(ack -> ack.getChangeId().equals(shared.getChangeId())).map(ChangeAck::getOutcome))
                    .containsExactlyInAnyOrder(Outcome.APPLIED, Outcome.DUPLICATE, Outcome.DUPLICATE, Outcome.DUPLICATE);
            assertThat(acks).allSatisfy(ack -> assertThat(ack.getOutcome()).isIn(Outcome.APPLIED, Outcome.SUPERSEDED, Outcome.DUPLICATE));
        } finally {
            pool.shutdownNow();
        }
        List<Long> applied = storedVersions(80);
        assertThat(applied).contains((long) versions).doesNotHaveDuplicates();
        assertThat(jdbc.queryForObject("SELECT version FROM traveler_head WHERE pseudonym = ?", Long.class, pseudonym(80)))
                .isEqualTo(versions);
        TravelerStatus status = client.status(80, "");
        assertThat(status.getHealthCode().getColour()).isEqualTo(HealthCodeColour.RED);
        assertThat(status.getHealthCode().getReason()).isEqualTo("v" + versions);
        assertThat(storedVersions(100)).containsExactly(1L);
    }

    @Test
    void subscriberHearsOfTravelersLookedUpInItsTerritoryOnly() throws Exception {
        BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
        client.exchange(ExchangeClient.GUANGDONG).subscribeStatusChanges(
                SubscribeRequest.newBuilder().setProvince("44").build(), collectInto(heard));
        awaitSubscribers("44", 1);

        client.status(120, GUANGZHOU_SOUTH);   // a Shaanxi resident scanned in Guangzhou
        client.status(140, XIAN_NORTH);        // scanned at home only
        client.status(160, "");                // a checkpoint in no configured territory

        StatusChange notSeen = change(140, 1, HealthCodeColour.RED, "not for Guangdong");
        StatusChange nowhere = change(160, 1, HealthCodeColour.RED, "not for Guangdong either");
        StatusChange seen = change(120, 1, HealthCodeColour.RED, "close contact");
        try (ExchangeClient.Publication publication = client.publish()) {
            assertThat(publication.send(notSeen).getOutcome()).isEqualTo(Outcome.APPLIED);
            assertThat(publication.send(nowhere).getOutcome()).isEqualTo(Outcome.APPLIED);
            assertThat(publication.send(seen).getOutcome()).isEqualTo(Outcome.APPLIED);
        }
        Object first = heard.poll(10, TimeUnit.SECONDS);
        assertThat(first).isInstanceOf(ChangeNotice.class);
        ChangeNotice notice = (ChangeNotice) first;
        assertThat(notice.getChangeId()).isEqualTo(seen.getChangeId());
        assertThat(notice.getColour()).isEqualTo(HealthCodeColour.RED);
        assertThat(notice.getTravelerPseudonym()).isEqualTo(pseudonym(120));
        // Least data: the subscriber learns a pseudonym, never the document or phone number.
        String everything = notice.toString();
        assertThat(everything).doesNotContain(SimulatedPopulation.traveler(120).residentId())
                .doesNotContain(SimulatedPopulation.traveler(120).phone());
        assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void subscribingNeedsAKnownProvince() throws Exception {
        BlockingQueue<Object> heard = new LinkedBlockingQueue<>();
        client.exchange(ExchangeClient.GUANGDONG).subscribeStatusChanges(
                SubscribeRequest.newBuilder().setProvince("99").build(), collectInto(heard));
        Object end = heard.poll(10, TimeUnit.SECONDS);
        assertThat(end).isInstanceOf(StatusRuntimeException.class);
        Status status = ((StatusRuntimeException) end).getStatus();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).startsWith("province:");
    }

    static void assertDenied(ChangeAck ack, String reasonPrefix) {
        assertThat(ack.getOutcome()).isEqualTo(Outcome.DENIED);
        assertThat(ack.getReason()).startsWith(reasonPrefix);
    }

    static void assertRejected(ChangeAck ack, String reasonPrefix) {
        assertThat(ack.getOutcome()).isEqualTo(Outcome.REJECTED);
        assertThat(ack.getReason()).startsWith(reasonPrefix);
    }

    static StreamObserver<ChangeNotice> collectInto(BlockingQueue<Object> heard) {
        return new StreamObserver<>() {
            @Override
            public void onNext(ChangeNotice change) {
                heard.add(change);
            }

            @Override
            public void onError(Throwable t) {
                heard.add(t);
            }

            @Override
            public void onCompleted() {
                heard.add("completed");
            }
        };
    }

    void awaitSubscribers(String province, int count) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (subscriptions.subscriberCount(province) < count) {
            if (System.nanoTime() > until) {
                throw new AssertionError("subscriber of " + province + " never registered");
            }
            Thread.sleep(10);
        }
    }

    String pseudonym(int traveler) {
        return pseudonyms.of(new dev.tongxing.adapters.SourceQuery(dev.tongxing.api.v1.DocumentType.RESIDENT_ID,
                SimulatedPopulation.traveler(traveler).residentId(), "", "61"));
    }

    List<Long> storedVersions(int traveler) {
        return jdbc.queryForList("SELECT version FROM applied_change WHERE pseudonym = ? ORDER BY version", Long.class, pseudonym(traveler));
    }
}
