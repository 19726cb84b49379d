package dev.tongxing.adapters;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance for each of a bounded set of values that answers repeat: city names and
 * cities on travel cards and the short lists they come in, masked names ({@code 张*}), a
 * province's reasons. Each parsed answer carries new objects for them, held by every cached answer,
 * a million times over when a million travelers are cached. The set stops growing at its capacity
 * (a source sending a new value with every answer fills it once and then costs nothing more);
 * values past it are kept as they are.
 */
final class SharedValues<T> {

    static final SharedValues<String> CITY_NAMES = new SharedValues<>(4_096);
    static final SharedValues<String> MASKED_NAMES = new SharedValues<>(65_536);
    static final SharedValues<String> REASONS = new SharedValues<>(4_096);
    /** A city with and without its star. */
    static final SharedValues<SourceAnswer.City> CITIES = new SharedValues<>(8_192);
    /** The cities of one travel card, when there are few; a long list is rarely repeated. */
    static final SharedValues<List<SourceAnswer.City>> CITY_LISTS = new SharedValues<>(65_536);

    private final ConcurrentHashMap<T, T> shared = new ConcurrentHashMap<>();
    private final int capacity;

    SharedValues(int capacity) {
        this.capacity = capacity;
    }

    /** The shared instance equal to {@code value}, or {@code value} itself once the set is full. */
    T of(T value) {
        if (value == null) {
            return null;
        }
        T known = shared.get(value);
        if (known != null) {
            return known;
        }
        if (shared.size() >= capacity) {
            return value;
        }
        T raced = shared.putIfAbsent(value, value);
        return raced == null ? value : raced;
    }

    /** A travel card's cities as an unmodifiable list of shared cities, itself shared when short. */
    static List<SourceAnswer.City> cities(List<SourceAnswer.City> cities) {
        List<SourceAnswer.City> copy = cities.stream().map(CITIES::of).toList();
        return copy.size() <= SourceAnswer.TravelCard.SHARED_CITY_LIST_LENGTH ? CITY_LISTS.of(List.copyOf(copy)) : List.copyOf(copy);
    }

    int size() {
        return shared.size();
    }
}
