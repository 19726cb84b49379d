package dev.tongxing.adapters;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/**
 * Checks every family makes before it looks inside a reply: status, media type, size, charset.
 * Each failure names the source and what was wrong.
 */
public final class StrictReply {

    private StrictReply() {}

    /**
     * Requires a 200 answer of the given media type within the source's size limit and returns its
     * text, decoded strictly in the declared charset (or the given default when none is declared).
     */
    public static String text(UpstreamReply reply, SourceSettings source, String mediaType, Charset defaultCharset) {
        if ((reply.status() == 429 || reply.status() == 503) && reply.retryAfter().isPresent()) {
            throw new RejectedAnswer(source.id(), "HTTP status " + reply.status() + " (overloaded; asked for "
                    + reply.retryAfter().get().toSeconds() + " s of rest)", reply.retryAfter());
        }
        if (reply.status() != 200) {
            throw new RejectedAnswer(source.id(), "HTTP status " + reply.status() + " (expected 200)");
        }
        if (reply.body().length == 0) {
            throw new RejectedAnswer(source.id(), "empty body");
        }
        if (reply.body().length > source.maxBodyBytes()) {
            throw new RejectedAnswer(source.id(),
                    "body of " + reply.body().length + " bytes exceeds the limit of " + source.maxBodyBytes());
        }
        String declared = reply.contentType().toLowerCase(Locale.ROOT);
        String declaredType = declared.split(";", 2)[0].trim();
        if (!declaredType.equals(mediaType)) {
            throw new RejectedAnswer(source.id(), "content type '" + printable(declaredType) + "' (expected " + mediaType + ")");
        }
        return decode(reply.body(), charsetOf(declared, defaultCharset, source), source);
    }

    private static Charset charsetOf(String contentType, Charset defaultCharset, SourceSettings source) {
        for (String parameter : contentType.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equals("charset")) {
                String name = pair[1].trim().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    throw new RejectedAnswer(source.id(), "unsupported charset '" + printable(name) + "'");
                }
            }
        }
        return defaultCharset;
    }

    private static String decode(byte[] body, Charset charset, SourceSettings source) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RejectedAnswer(source.id(), "body is not valid " + charset.name());
        }
    }

    /** Upstream text quoted in a reason is cut short and stripped of control characters. */
    public static String printable(String upstreamText) {
        String cleaned = upstreamText.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() <= 40 ? cleaned : cleaned.substring(0, 40) + "...";
    }

    static final Charset UTF_8 = StandardCharsets.UTF_8;
}
