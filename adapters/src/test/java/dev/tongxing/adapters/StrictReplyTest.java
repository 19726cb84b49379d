package dev.tongxing.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictReplyTest {

    private final SourceSettings source = TestSources.settings("guangdong-ykm", "x", SourceKind.HEALTH_CODE, "44");

    @Test
    void decodesInTheDeclaredCharset() {
        Charset gbk = Charset.forName("GBK");
        UpstreamReply reply = TestSources.reply(200, "text/xml; charset=GBK", "<a>未见异常</a>", gbk);
        assertThat(StrictReply.text(reply, source, "text/xml", StandardCharsets.UTF_8)).isEqualTo("<a>未见异常</a>");
    }

    @Test
    void rejectsWhatIsNotAPlainAnswer() {
        assertThatThrownBy(() -> StrictReply.text(TestSources.reply(500, "application/json", "{}", StandardCharsets.UTF_8), source, "application/json", StandardCharsets.UTF_8))
                .isInstanceOf(RejectedAnswer.class).hasMessage("guangdong-ykm: HTTP status 500 (expected 200)");
        assertThatThrownBy(() -> StrictReply.text(TestSources.reply(200, "text/html", "<html>", StandardCharsets.UTF_8), source, "application/json", StandardCharsets.UTF_8))
                .hasMessage("guangdong-ykm: content type 'text/html' (expected application/json)");
        assertThatThrownBy(() -> StrictReply.text(new UpstreamReply(200, "application/json", new byte[0]), source, "application/json", StandardCharsets.UTF_8))
                .hasMessage("guangdong-ykm: empty body");
        assertThatThrownBy(() -> StrictReply.text(new UpstreamReply(200, "application/json", new byte[64 * 1024 + 1]), source, "application/json", StandardCharsets.UTF_8))
                .hasMessageContaining("exceeds the limit of 65536");
        assertThatThrownBy(() -> StrictReply.text(new UpstreamReply(200, "application/json; charset=UTF-8", new byte[] {'{', (byte) 0xC3, '}'}), source, "application/json", StandardCharsets.UTF_8))
                .hasMessage("guangdong-ykm: body is not valid UTF-8");
        assertThatThrownBy(() -> StrictReply.text(TestSources.reply(200, "application/json; charset=klingon", "{}", StandardCharsets.UTF_8), source, "application/json", StandardCharsets.UTF_8))
                .hasMessage("guangdong-ykm: unsupported charset 'klingon'");
    }
}
