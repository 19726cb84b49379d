package dev.tongxing.adapters;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared String for each of a bounded set of texts that answers repeat: city names on travel
 * cards, masked names ({@code 张*}), a province's reasons. Each parsed answer carries new Strings
 * of 40 to 60 bytes for them, held by every cached answer, a million times over when a million
 * travelers are cached. The set stops growing at its capacity (a source sending a new text with
 * every answer fills it once and then costs nothing more); texts past it are kept as they are.
 */
final class SharedText {

    static final SharedText CITY_NAMES = new SharedText(4_096);
    static final SharedText MASKED_NAMES = new SharedText(65_536);
    static final SharedText REASONS = new SharedText(4_096);

    private final ConcurrentHashMap<String, String> shared = new ConcurrentHashMap<>();
    private final int capacity;

    SharedText(int capacity) {
        this.capacity = capacity;
    }

    /** The shared instance equal to {@code text}, or {@code text} itself once the set is full. */
    String of(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String known = shared.get(text);
        if (known != null) {
            return known;
        }
        if (shared.size() >= capacity) {
            return text;
        }
        String raced = shared.putIfAbsent(text, text);
        return raced == null ? text : raced;
    }

    int size() {
        return shared.size();
    }
}
