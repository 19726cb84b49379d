package dev.tongxing.contracts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.tongxing.adapters.RejectedAnswer;
import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.adapters.SourceQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every source must survive, whatever its format: each hostile answer ends as a failed
 * exchange caused by a {@link RejectedAnswer} or an I/O error, never as a colour. Each family's
 * contract extends this with its recorded answers and their exact unified results.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SourceContract {

    protected SourceHarness harness;

    /** The source this contract is about, as configured in {@link SourceHarness}. */
    protected abstract String sourceId();

    protected abstract SourceQuery traveler();

    /** A recorded answer about {@link #traveler()} that maps to a colour. */
    protected abstract ResponseDefinitionBuilder recorded();

    /** The recorded body, with its charset or encoding declaration lying about its bytes. */
    protected abstract ResponseDefinitionBuilder wrongCharset();

    @BeforeAll
    void startHarness() {
        harness = SourceHarness.start();
    }

    @AfterAll
    void stopHarness() throws IOException {
        harness.close();
    }

    @BeforeEach
    void resetStubs() {
        harness.wireMock().resetAll();
    }

    protected SourceAnswer answerTo(ResponseDefinitionBuilder response) {
        return answerTo(response, traveler());
    }

    protected SourceAnswer answerTo(ResponseDefinitionBuilder response, SourceQuery query) {
        harness.serve(sourceId(), response);
        return harness.answer(sourceId(), query);
    }

    protected Throwable failureOf(ResponseDefinitionBuilder response) {
        return failureOf(response, traveler());
    }

    protected Throwable failureOf(ResponseDefinitionBuilder response, SourceQuery query) {
        harness.serve(sourceId(), response);
        return harness.failure(sourceId(), query);
    }

    protected static ResponseDefinitionBuilder ok(String contentType, byte[] body) {
        return aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body);
    }

    protected static ResponseDefinitionBuilder json(String body) {
        return ok("application/json; charset=UTF-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] recordedBody() {
        return recorded().build().getByteBody();
    }

    private String recordedContentType() {
        return recorded().build().getHeaders().getContentTypeHeader().firstValue();
    }

    @Test
    void recordedAnswerGivesAColour() {
        assertThat(answerTo(recorded())).isNotInstanceOf(SourceAnswer.NotFound.class);
    }

    @Test
    void truncatedBody() {
        byte[] body = recordedBody();
        for (int length : new int[] {0, 1, body.length / 2, body.length - 2}) {
            assertThat(failureOf(ok(recordedContentType(), Arrays.copyOf(body, length))))
                    .isInstanceOf(RejectedAnswer.class).hasMessageStartingWith(sourceId() + ": ");
        }
    }

    @Test
    void htmlErrorPageWithStatus200() {
        byte[] page = "<html><head><title>系统繁忙</title></head><body><h1>访问量过大，请稍后再试</h1></body></html>"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(failureOf(ok("text/html; charset=UTF-8", page))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("content type 'text/html'");
        // The same page behind a Content-Type that lies.
        assertThat(failureOf(ok(recordedContentType(), page))).isInstanceOf(RejectedAnswer.class);
    }

    @Test
    void wrongCharsetDeclaration() {
        assertThat(failureOf(wrongCharset())).isInstanceOf(RejectedAnswer.class);
    }

    @Test
    void tenMegabyteBody() {
        byte[] body = recordedBody();
        byte[] padded = Arrays.copyOf(body, 10 * 1024 * 1024);
        Arrays.fill(padded, body.length, padded.length, (byte) ' ');
        assertThat(failureOf(ok(recordedContentType(), padded))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("exceeds the limit of " + SourceHarness.MAX_BODY);
    }

    @Test
    void slowDripIsCutOffByTheSourceTimeout() {
        long start = System.nanoTime();
        // Every chunk arrives well within the socket timeout; only a whole-call deadline stops this.
        Throwable cause = failureOf(recorded().withChunkedDribbleDelay(40, 12_000));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(cause).isInstanceOf(IOException.class);
        assertThat(millis).isLessThan(SourceHarness.TIMEOUT.toMillis() * 3);
    }

    @Test
    void empty204() {
        assertThat(failureOf(aResponse().withStatus(204))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("HTTP status 204");
    }

    @Test
    void redirectLoop() {
        assertThat(failureOf(aResponse().withStatus(302).withHeader("Location", "/" + sourceId() + "/query")))
                .isInstanceOf(RejectedAnswer.class).hasMessageContaining("HTTP status 302");
    }

    @Test
    void serverError() {
        assertThat(failureOf(aResponse().withStatus(503).withHeader("Retry-After", "30"))).isInstanceOf(RejectedAnswer.class)
                .hasMessageContaining("HTTP status 503");
    }
}
