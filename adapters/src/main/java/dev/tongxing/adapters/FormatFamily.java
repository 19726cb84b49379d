package dev.tongxing.adapters;

import java.util.Optional;

/**
 * One wire format that one or more sources speak. A family turns a {@link SourceQuery} into the
 * source's request and the source's reply into a {@link SourceAnswer}, strictly: anything it does
 * not fully understand becomes a {@link RejectedAnswer}, never a colour.
 *
 * <p>Implementations are stateless; per-source differences live in {@link SourceSettings}.
 */
public interface FormatFamily {

    /** The name configuration uses to pick this family (e.g. {@code pinyin-json}). */
    String name();

    /** Which component the family's sources answer for. */
    SourceKind kind();

    /**
     * How the family's sources are called; {@link SourceRoutes} picks the route's producer from it.
     * The request and reply stay the family's business either way: {@link UpstreamRequest} and
     * {@link UpstreamReply} carry the bytes of an HTTP body or of one gRPC message.
     */
    default Transport transport() {
        return Transport.HTTP;
    }

    UpstreamRequest request(SourceQuery query, SourceSettings source);

    /**
     * Maps a reply. Must not throw anything but {@link RejectedAnswer}.
     *
     * @throws RejectedAnswer when the reply is anything but a well-formed answer about the asked traveler
     */
    SourceAnswer map(UpstreamReply reply, SourceQuery query, SourceSettings source);

    /**
     * Reads a QR payload shown by the province's app into the traveler it identifies, if this family
     * defines a QR format.
     *
     * @throws InvalidCodePayload when the payload is of this family's format but unreadable or expired
     */
    default Optional<ScannedCode> readCode(String payload, SourceSettings source, java.time.Instant now) {
        return Optional.empty();
    }
}
