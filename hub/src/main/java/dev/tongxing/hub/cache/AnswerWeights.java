package dev.tongxing.hub.cache;

import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.hub.sources.Fetched;

/**
 * Approximate heap bytes of one cache entry, so that a cache's budget is in bytes rather than
 * entries: a travel card listing twenty cities costs more than a "no record".
 */
final class AnswerWeights {

    /** The cache's node, its map's node, the future and {@link Fetched}, from a heap histogram. */
    private static final int ENTRY_OVERHEAD = 152;
    private static final int OBJECT = 16;

    private AnswerWeights() {}

    static int of(HeldKey key, Fetched value) {
        return ENTRY_OVERHEAD + key.weight() + answer(value.answer());
    }

    private static int answer(SourceAnswer answer) {
        return switch (answer) {
            case SourceAnswer.NotFound notFound -> OBJECT + text(notFound.reason());
            case SourceAnswer.HealthCode code -> 6 * OBJECT + text(code.reason()) + text(code.maskedName())
                    + text(code.issuingProvince()) + (code.test().isPresent() ? 2 * OBJECT : 0)
                    + (code.vaccination().isPresent() ? 2 * OBJECT : 0);
            case SourceAnswer.TravelCard card -> 4 * OBJECT + text(card.maskedPhone())
                    + card.cities().stream().mapToInt(city -> OBJECT + text(city.name())).sum();
        };
    }

    /** A String and its bytes, roughly; nothing for null. */
    static int text(String value) {
        return value == null ? 0 : 40 + 2 * value.length();
    }
}
