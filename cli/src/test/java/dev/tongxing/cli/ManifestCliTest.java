package dev.tongxing.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.CheckBatchRequest;
import dev.tongxing.api.v1.CheckBatchResult;
import dev.tongxing.api.v1.EntryError;
import dev.tongxing.api.v1.HealthCodeColour;
import dev.tongxing.api.v1.HealthCodeComponent;
import dev.tongxing.api.v1.PrefetchEntry;
import dev.tongxing.api.v1.PrefetchResult;
import dev.tongxing.api.v1.Provenance;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.Verdict;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifest files as people write them, and the manifest and prefetch commands against a stand-in hub on loopback. */
class ManifestCliTest {

    @TempDir
    Path dir;

    private Server hub;
    private final List<CheckBatchRequest> checked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startHub() throws Exception {
        hub = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new TravelerStatusServiceGrpc.TravelerStatusServiceImplBase() {
                    @Override
                    public StreamObserver<CheckBatchRequest> checkBatch(StreamObserver<CheckBatchResult> results) {
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(CheckBatchRequest entry) {
                                checked.add(entry);
                                CheckBatchResult.Builder result = CheckBatchResult.newBuilder().setEntryId(entry.getEntryId());
                                if (entry.getEntryId().equals("9Z")) {
                                    result.setError(EntryError.newBuilder().setCode("INVALID_ARGUMENT").setMessage("traveler.document_number: check digit"));
                                } else {
                                    result.setStatus(TravelerStatus.newBuilder()
                                            .setHealthCode(HealthCodeComponent.newBuilder().setColour(HealthCodeColour.GREEN)
                                                    .setProvenance(Provenance.newBuilder().setKind(Provenance.Kind.LIVE)))
                                            .setVerdict(Verdict.newBuilder().setDecision(Verdict.Decision.PASS)));
                                }
                                results.onNext(result.build());
                            }

                            @Override public void onError(Throwable t) { }
                            @Override public void onCompleted() { results.onCompleted(); }
                        };
                    }

                    @Override
                    public StreamObserver<PrefetchEntry> prefetchManifest(StreamObserver<PrefetchResult> results) {
                        return new StreamObserver<>() {
                            @Override
                            public void onNext(PrefetchEntry entry) {
                                results.onNext(entry.getEntryId().equals("02B")
                                        ? PrefetchResult.newBuilder().setEntryId("02B").setOutcome(PrefetchResult.Outcome.NOT_FETCHED)
                                                .addReasons("shaanxi-ymt: no record for this document").build()
                                        : PrefetchResult.newBuilder().setEntryId(entry.getEntryId()).setOutcome(PrefetchResult.Outcome.WARMED).build());
                            }

                            @Override public void onError(Throwable t) { }
                            @Override public void onCompleted() { results.onCompleted(); }
                        };
                    }
                })
                .build().start();
    }

    @AfterEach
    void stopHub() {
        hub.shutdownNow();
    }

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 4];
        all[0] = "--hub";
        all[1] = "127.0.0.1:" + hub.getPort();
        all[2] = "--token";
        all[3] = "a-token";
        System.arraycopy(args, 0, all, 4, args.length);
        int exit = TongxingCli.run(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path manifest(String text) throws Exception {
        Path file = dir.resolve("train-G1234.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void quotedCellsHeaderCommentsAndShortLinesAreRead() throws Exception {
        List<ManifestFile.Entry> entries = ManifestFile.read("m.csv", new StringReader("""
                entry,document_type,number,phone,province
                # coach 1
                "01A",RESIDENT_ID,610102196001011000,13800000000,61

                "01,B",resident_id, 610103196001011138 ,,
                01C,PASSPORT,E12345678
                """));
        assertThat(entries).extracting(ManifestFile.Entry::entryId).containsExactly("01A", "01,B", "01C");
        assertThat(entries).extracting(ManifestFile.Entry::line).containsExactly(3, 5, 6);
        assertThat(entries.get(1).traveler().getDocumentNumber()).isEqualTo("610103196001011138");
        assertThat(entries.get(2).traveler().getPhoneNumber()).isEmpty();
    }

    @Test
    void everyProblemIsNamedByLineAndColumnWithoutEchoingNumbers() {
        String text = """
                01A,RESIDENT_ID,610102196001011000,13800000000,61
                01B,PASPORT,E12345678
                01C,RESIDENT_ID
                01D,RESIDENT_ID,610103196001011138,138-0000,6
                01A,PASSPORT,E7654321
                ,PASSPORT,E7654322
                """;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ManifestFile.read("m.csv", new StringReader(text)))
                .isInstanceOf(ManifestFile.Invalid.class)
                .hasMessageContaining("m.csv line 2, column 2 (document_type): 'PASPORT' is not one of RESIDENT_ID, PASSPORT, HK_MACAU_PERMIT")
                .hasMessageContaining("m.csv line 3: 2 column(s); expected 3 to 5")
                .hasMessageContaining("m.csv line 4, column 4 (phone): not a phone number")
                .hasMessageContaining("m.csv line 4, column 5 (province): '6' is not a two-digit province code")
                .hasMessageContaining("m.csv line 5, column 1 (entry): entry '01A' repeats line 1")
                .hasMessageContaining("m.csv line 6, column 1 (entry): is empty")
                .message().doesNotContain("138-0000").doesNotContain("610103196001011138");
    }

    @Test
    void aBrokenManifestIsRefusedBeforeAnythingIsSentAndExitsTwo() throws Exception {
        Run run = run("manifest", "--no-progress", manifest("01A,RESIDENT_ID,610102196001011000\n01B,VISA,X1\n").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("train-G1234.csv line 2, column 2 (document_type): 'VISA' is not one of");
        assertThat(checked).isEmpty();
    }

    @Test
    void aManifestIsCheckedSummarisedAndWrittenAsCsvExitingOneWhenAnEntryWasNotAnswered() throws Exception {
        Path output = dir.resolve("results.csv");
        Run run = run("manifest", "--no-progress", "--deadline", "30s", "--format", "csv", "--output", output.toString(),
                manifest("01A,RESIDENT_ID,610102196001011000,13800000000,61\n9Z,RESIDENT_ID,610102196001011001\n").toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(checked).extracting(CheckBatchRequest::getEntryId).containsExactly("01A", "9Z");
        assertThat(Files.readAllLines(output)).containsExactly(
                "entry,decision,health,health_provenance,travel_card,travel_card_provenance,masked_name,reasons,error_code,error_message",
                "01A,PASS,GREEN,LIVE,TRAVEL_CARD_COLOUR_UNSPECIFIED,KIND_UNSPECIFIED,,,,",
                "9Z,,,,,,,,INVALID_ARGUMENT,traveler.document_number: check digit");
        assertThat(run.err()).contains("Manifest   2 entries: 1 answered, 1 entry errors, 0 without a result")
                .contains("Verdicts   PASS 1").contains("Health     LIVE 1").contains("Errors     INVALID_ARGUMENT 1");
    }

    @Test
    void aFullyAnsweredManifestExitsZeroAndJsonLinesAreTheContractsJson() throws Exception {
        Run run = run("manifest", "--no-progress", "--format", "jsonl", manifest("01A,RESIDENT_ID,610102196001011000\n").toString());
        assertThat(run.exit()).isEqualTo(0);
        assertThat(run.out().strip()).startsWith("{\"entryId\":\"01A\",\"status\":{");
    }

    @Test
    void prefetchListsWhatCouldNotBeFetchedAndExitsOne() throws Exception {
        Run run = run("prefetch", "--no-progress", manifest("01A,RESIDENT_ID,610102196001011000\n02B,RESIDENT_ID,610102196001011001\n").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out().strip()).isEqualTo("02B        NOT_FETCHED shaanxi-ymt: no record for this document");
        assertThat(run.err()).contains("Outcomes   WARMED 1  NOT_FETCHED 1").contains("Not fetched     1  shaanxi-ymt: no record for this document");
    }

    @Test
    void aProgressBarGoesToStandardErrorOnly() throws Exception {
        Run run = run("prefetch", manifest("01A,RESIDENT_ID,610102196001011000\n").toString());
        assertThat(run.exit()).isEqualTo(0);
        assertThat(run.out()).isEmpty();
    }
}
