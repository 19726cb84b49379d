package dev.tongxing.hub.lookup;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.PrefetchEntry;
import dev.tongxing.api.v1.PrefetchResult;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.hub.security.Role;
import dev.tongxing.hub.server.GrpcServer;
import dev.tongxing.hub.support.FreePorts;
import dev.tongxing.hub.support.HubClient;
import dev.tongxing.hub.support.TestIssuer;
import dev.tongxing.simulators.SimulatedPopulation;
import dev.tongxing.simulators.SimulatedTraveler;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Manifests against a province declared at a small capacity, served by WireMock so that what the
 * province receives is counted at the province: entries wait for capacity instead of being
 * refused, the province never sees more than its capacity in any second, scans go first, and a
 * prefetched manifest is answered from the cache.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "tongxing.grpc.port=0",
        "tongxing.sources.shaanxi-ymt.resilience.capacity=" + ManifestCapacityTest.CAPACITY,
        // Generous timeouts: the test measures waiting for capacity, not a loaded machine's latency.
        "tongxing.sources.shaanxi-ymt.timeout=3s",
        "tongxing.sources.travel-card.timeout=3s",
        "tongxing.sources.shaanxi-ymt.cache.fresh-for=5m",
        "tongxing.sources.shaanxi-ymt.cache.refresh-ahead=4m",
        "tongxing.security.caller-limits.per-client.checkpoint-xian-north=1000000",
        // A checkpoint with a tiny per-second limit, to show manifest entries wait for it.
        "tongxing.security.caller-limits.per-client.checkpoint-small=" + ManifestCapacityTest.SMALL_CALLER_LIMIT,
})
class ManifestCapacityTest {

    static final int CAPACITY = 10;
    static final int SMALL_CALLER_LIMIT = 4;
    static final String SHAANXI = "/ymt/61/api/v1/query";
    static final String CARD = "/travelcard/api/v1/query";
    static final WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(64));

    static {
        upstream.start();
    }

    @DynamicPropertySource
    static void sourcesOnWireMock(DynamicPropertyRegistry registry) {
        registry.add("tongxing.demo.port", upstream::port);
        FreePorts.ownStore(registry);
        TestIssuer.register(registry);
    }

    @AfterAll
    static void stopUpstream() {
        upstream.stop();
    }

    /** Both systems answer green for anyone, echoing the asked number masked, as the real ones do. */
    @BeforeAll
    static void healthySystems() {
        upstream.stubFor(post(SHAANXI).willReturn(json("""
                {"zt":"0","xx":"成功","sj":{"xm":"李*","zjhm":"{{substring (jsonPath request.body '$.zjhm') 0 4}}**********{{substring (jsonPath request.body '$.zjhm') 14 18}}",
                 "mys":"lvma","yy":"","gxsj":"2022-01-04 09:00:00"}}
                """).withTransformers("response-template")));
        upstream.stubFor(post(CARD).willReturn(json("""
                {"code":"0","message":"success","result":{"msisdn":"{{substring (jsonPath request.body '$.msisdn') 0 3}}****{{substring (jsonPath request.body '$.msisdn') 7 11}}",
                 "color":"green","days":14,"updateTime":"2022-01-04 09:00:00","cities":["陕西省西安市"]}}
                """).withTransformers("response-template")));
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=UTF-8").withBody(body);
    }

    @Autowired
    GrpcServer server;

    private static int nextWarmUp = 90_000;

    /**
     * One scan first, so the hub's connections to both systems are open and their templates
     * compiled: a first request held up by that would bunch the next ones together at the
     * province and make the count measure the set-up, not the pacing. Then the count starts.
     */
    @BeforeEach
    void warmUpAndForgetRequests() throws Exception {
        SimulatedTraveler warm = SimulatedPopulation.traveler(nextWarmUp++);
        try (HubClient hub = new HubClient(server.port())) {
            hub.blocking().withDeadlineAfter(10, TimeUnit.SECONDS).getStatus(GetStatusRequest.newBuilder()
                    .setTraveler(HubClient.residentKey(warm.residentId(), warm.phone())).build());
        }
        // Past the scans' reserve, so each test starts with the capacity to itself.
        Thread.sleep(1_100);
        upstream.resetRequests();
    }

    /** Travelers no other test of this class asks about, so each test starts cold. */
    private static int nextTraveler = 5_000;

    private static synchronized List<SimulatedTraveler> coldTravelers(int count) {
        List<SimulatedTraveler> travelers = IntStream.range(nextTraveler, nextTraveler + count).mapToObj(SimulatedPopulation::traveler).toList();
        nextTraveler += count;
        return travelers;
    }

    /** Sends a whole manifest, reads every result, and returns them by entry once the stream closes. */
    private static Map<String, CheckBatchResult> check(TravelerStatusServiceGrpc.TravelerStatusServiceStub stub, List<SimulatedTraveler> travelers)
            throws Exception {
        return check(stub, travelers, true);
    }

    /**
     * @param withPhones whether entries carry the phone, so the travel card is asked too; the pacing
     *                   tests leave it out, so the province's requests are all the test machine serves
     */
    private static Map<String, CheckBatchResult> check(TravelerStatusServiceGrpc.TravelerStatusServiceStub stub, List<SimulatedTraveler> travelers,
                                                       boolean withPhones) throws Exception {
        List<CheckBatchResult> results = new CopyOnWriteArrayList<>();
        CompletableFuture<Status> closed = new CompletableFuture<>();
        StreamObserver<CheckBatchRequest> requests = stub.withDeadlineAfter(60, TimeUnit.SECONDS).checkBatch(new StreamObserver<>() {
            @Override public void onNext(CheckBatchResult result) { results.add(result); }
            @Override public void onError(Throwable t) { closed.complete(Status.fromThrowable(t)); }
            @Override public void onCompleted() { closed.complete(Status.OK); }
        });
        for (SimulatedTraveler traveler : travelers) {
            requests.onNext(CheckBatchRequest.newBuilder().setEntryId("seat-" + traveler.index())
                    .setTraveler(HubClient.residentKey(traveler.residentId(), withPhones ? traveler.phone() : "")).build());
        }
        requests.onCompleted();
        assertThat(closed.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);
        return results.stream().collect(Collectors.toMap(CheckBatchResult::getEntryId, Function.identity()));
    }

    /** When the province received each request, in milliseconds, oldest first. */
    private static List<Long> receivedAt(String path) {
        return upstream.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(request -> request.getUrl().equals(path))
                .map(request -> request.getLoggedDate().getTime()).sorted().toList();
    }

    /** The most requests the province received within any one second. */
    private static int busiestSecond(List<Long> times) {
        int most = 0;
        for (int first = 0, last = 0; first < times.size(); first++) {
            while (last < times.size() && times.get(last) - times.get(first) < 1_000) {
                last++;
            }
            most = Math.max(most, last - first);
        }
        return most;
    }

    @Test
    void aManifestLargerThanTheProvincesCapacityIsAnsweredLiveWithinItWhileTheProvinceNeverSeesMore() throws Exception {
        List<SimulatedTraveler> travelers = coldTravelers(3 * CAPACITY);
        try (HubClient hub = new HubClient(server.port())) {
            Map<String, CheckBatchResult> results = check(hub.async(), travelers, false);

            assertThat(results).hasSize(travelers.size());
            for (SimulatedTraveler traveler : travelers) {
                CheckBatchResult result = results.get("seat-" + traveler.index());
                assertThat(result.hasStatus()).as(result.toString()).isTrue();
                Provenance health = result.getStatus().getHealthCode().getProvenance();
                assertThat(health.getKind()).as(health.getReason()).isEqualTo(Provenance.Kind.LIVE);
            }
        }
        List<Long> received = receivedAt(SHAANXI);
        assertThat(received).hasSize(travelers.size());
        assertThat(busiestSecond(received)).as("requests in the province's busiest second").isLessThanOrEqualTo(CAPACITY);
    }

    @Test
    void scansAtAGateGoAheadOfAManifestWaitingForTheSameProvince() throws Exception {
        List<SimulatedTraveler> manifest = coldTravelers(4 * CAPACITY);
        List<SimulatedTraveler> atTheGate = coldTravelers(6);
        try (HubClient hub = new HubClient(server.port())) {
            CompletableFuture<Map<String, CheckBatchResult>> checked = CompletableFuture.supplyAsync(() -> {
                try {
                    return check(hub.async(), manifest, false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The manifest is now queued for the province's capacity; travelers arrive at the gate meanwhile.
            Thread.sleep(800);
            List<TravelerStatus> scans = new ArrayList<>();
            for (SimulatedTraveler traveler : atTheGate) {
                scans.add(hub.blocking().withDeadlineAfter(2, TimeUnit.SECONDS).getStatus(GetStatusRequest.newBuilder()
                        .setTraveler(HubClient.residentKey(traveler.residentId(), "")).build()));
                Thread.sleep(250);
            }
            assertThat(checked).isNotDone();
            for (TravelerStatus scan : scans) {
                Provenance health = scan.getHealthCode().getProvenance();
                assertThat(health.getKind()).as("a scan during the manifest: " + health.getReason()).isEqualTo(Provenance.Kind.LIVE);
            }
            Map<String, CheckBatchResult> results = checked.get(60, TimeUnit.SECONDS);
            assertThat(results.values()).hasSize(manifest.size()).allSatisfy(result ->
                    assertThat(result.getStatus().getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.LIVE));
        }
        assertThat(busiestSecond(receivedAt(SHAANXI))).isLessThanOrEqualTo(CAPACITY);
    }

    @Test
    void aPrefetchedManifestIsAnsweredFromTheCacheAtArrival() throws Exception {
        List<SimulatedTraveler> travelers = coldTravelers(12);
        try (HubClient hub = new HubClient(server.port())) {
            List<PrefetchResult> progress = new CopyOnWriteArrayList<>();
            CompletableFuture<Status> closed = new CompletableFuture<>();
            StreamObserver<PrefetchEntry> entries = hub.async().withDeadlineAfter(60, TimeUnit.SECONDS).prefetchManifest(new StreamObserver<>() {
                @Override public void onNext(PrefetchResult result) { progress.add(result); }
                @Override public void onError(Throwable t) { closed.complete(Status.fromThrowable(t)); }
                @Override public void onCompleted() { closed.complete(Status.OK); }
            });
            for (SimulatedTraveler traveler : travelers) {
                entries.onNext(PrefetchEntry.newBuilder().setEntryId("seat-" + traveler.index())
                        .setTraveler(HubClient.residentKey(traveler.residentId(), traveler.phone())).build());
            }
            entries.onNext(PrefetchEntry.newBuilder().setEntryId("bad").setTraveler(HubClient.residentKey("123", "")).build());
            entries.onCompleted();
            assertThat(closed.get(60, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.OK);

            assertThat(progress).hasSize(travelers.size() + 1);
            assertThat(progress).filteredOn(result -> !result.getEntryId().equals("bad"))
                    .allSatisfy(result -> assertThat(result.getOutcome()).as(result.getReasonsList().toString()).isEqualTo(PrefetchResult.Outcome.WARMED));
            PrefetchResult bad = progress.stream().filter(result -> result.getEntryId().equals("bad")).findFirst().orElseThrow();
            assertThat(bad.getOutcome()).isEqualTo(PrefetchResult.Outcome.REFUSED);
            assertThat(bad.getError().getCode()).isEqualTo("INVALID_ARGUMENT");
            int askedByPrefetch = receivedAt(SHAANXI).size();

            Map<String, CheckBatchResult> atArrival = check(hub.async(), travelers);
            assertThat(atArrival.values()).hasSize(travelers.size()).allSatisfy(result -> {
                assertThat(result.getStatus().getHealthCode().getProvenance().getKind()).isEqualTo(Provenance.Kind.CACHED);
                assertThat(result.getStatus().getTravelCard().getProvenance().getKind()).isEqualTo(Provenance.Kind.CACHED);
            });
            assertThat(receivedAt(SHAANXI)).as("the province is not asked again at arrival").hasSize(askedByPrefetch);
        }
    }

    @Test
    void manifestEntriesOverTheCallersPerSecondLimitWaitForItInsteadOfFailing() throws Exception {
        List<SimulatedTraveler> travelers = coldTravelers(3 * SMALL_CALLER_LIMIT);
        String token = TestIssuer.get().token("checkpoint-small", "61", Role.CHECKPOINT);
        try (HubClient hub = new HubClient(server.port(), token)) {
            long started = System.nanoTime();
            Map<String, CheckBatchResult> results = check(hub.async(), travelers);
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(results.values()).hasSize(travelers.size())
                    .allSatisfy(result -> assertThat(result.hasStatus()).as(result.getError().getMessage()).isTrue());
            // Twelve lookups at four a second: the third second's were waited for, not refused.
            assertThat(tookMillis).isGreaterThanOrEqualTo(1_000);
            // A scan over the limit is still refused at once.
            SimulatedTraveler one = travelers.get(0);
            var scan = hub.blocking().withDeadlineAfter(2, TimeUnit.SECONDS);
            List<Status.Code> codes = new ArrayList<>();
            for (int i = 0; i < 2 * SMALL_CALLER_LIMIT; i++) {
                try {
                    scan.getStatus(GetStatusRequest.newBuilder().setTraveler(HubClient.residentKey(one.residentId(), one.phone())).build());
                    codes.add(Status.Code.OK);
                } catch (io.grpc.StatusRuntimeException e) {
                    codes.add(e.getStatus().getCode());
                }
            }
            assertThat(codes).contains(Status.Code.RESOURCE_EXHAUSTED);
        }
    }
}
