package dev.tongxing.hub.cache;

import dev.tongxing.adapters.SourceAnswer;
import dev.tongxing.hub.sources.Fetched;
import java.util.List;

/**
 * Approximate heap bytes of one cache entry, so that a cache's budget is in bytes rather than
 * entries: a travel card listing twenty cities costs more than a "no record".
 */
final class AnswerWeights {

    /** The cache's node, its map's node and its share of the table, and {@link Fetched}, from a heap histogram. */
    private static final int ENTRY_OVERHEAD = 128;
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
            case SourceAnswer.TravelCard card -> 4 * OBJECT + text(card.maskedPhone()) + cities(card.cities());
        };
    }

    /**
     * A card's cities: a short list is one shared by every card listing the same cities, a long one
     * the card's own, and either way the cities in it are shared (see the adapters' shared values).
     */
    private static int cities(List<SourceAnswer.City> cities) {
        return cities.size() <= SourceAnswer.TravelCard.SHARED_CITY_LIST_LENGTH ? 0 : OBJECT + 4 * cities.size();
    }

    /** A String and its bytes, roughly; nothing for null. */
    static int text(String value) {
        return value == null ? 0 : 40 + 2 * value.length();
    }
}
