package dev.tongxing.adapters;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

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
        byte[] body = body(reply, source, Set.of(mediaType));
        return decode(body, declaredCharset(reply, source).orElse(defaultCharset), source);
    }

    /**
     * Requires a 200 answer of one of the given media types within the source's size limit and
     * returns its bytes undecoded, for formats that also declare their charset inside the body.
     */
    public static byte[] body(UpstreamReply reply, SourceSettings source, Set<String> mediaTypes) {
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
            // Only one byte past the limit is ever read, so the real size is unknown; the limit is what matters.
            throw new RejectedAnswer(source.id(), "body exceeds the limit of " + source.maxBodyBytes() + " bytes");
        }
        String declaredType = reply.contentType().toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        if (!mediaTypes.contains(declaredType)) {
            throw new RejectedAnswer(source.id(), "content type '" + printable(declaredType) + "' (expected "
                    + String.join(" or ", new java.util.TreeSet<>(mediaTypes)) + ")");
        }
        return reply.body();
    }

    /** The charset the Content-Type header declares, if any. */
    public static Optional<Charset> declaredCharset(UpstreamReply reply, SourceSettings source) {
        for (String parameter : reply.contentType().toLowerCase(Locale.ROOT).split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equals("charset")) {
                return Optional.of(charset(pair[1].trim().replace("\"", ""), source));
            }
        }
        return Optional.empty();
    }

    /** The named charset, or a rejection naming it. */
    public static Charset charset(String name, SourceSettings source) {
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new RejectedAnswer(source.id(), "unsupported charset '" + printable(name) + "'");
        }
    }

    /** Decodes strictly: a malformed or unmappable byte sequence rejects the answer. */
    public static String decode(byte[] body, Charset charset, SourceSettings source) {
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

    /**
     * Rejects a code that is no longer (or not yet) valid at {@code now}. A source's clock may run a
     * little ahead of ours, so "not yet valid" allows the given skew; "expired" allows none.
     */
    public static void requireValidAt(Instant now, Optional<Instant> validFrom, Instant validUntil, Duration skew,
                                      String fromField, String untilField, SourceSettings source) {
        if (!validUntil.isAfter(now)) {
            throw new RejectedAnswer(source.id(), "field '" + untilField + "' says the code expired at " + validUntil);
        }
        if (validFrom.isPresent() && validFrom.get().isAfter(now.plus(skew))) {
            throw new RejectedAnswer(source.id(), "field '" + fromField + "' says the code is not valid before " + validFrom.get());
        }
    }

    /** Upstream text quoted in a reason is cut short and stripped of control characters. */
    public static String printable(String upstreamText) {
        String cleaned = upstreamText.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() <= 40 ? cleaned : cleaned.substring(0, 40) + "...";
    }

    static final Charset UTF_8 = StandardCharsets.UTF_8;
}
