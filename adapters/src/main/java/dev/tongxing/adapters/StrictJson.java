package dev.tongxing.adapters;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Reads a JSON answer the way a careful person would: duplicate keys, trailing garbage, deep
 * nesting and type confusion are errors, and every accessor names the field it could not read.
 */
public final class StrictJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(32)
                            .maxStringLength(64 * 1024)
                            .maxNumberLength(32)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String sourceId;

    private StrictJson(String sourceId) {
        this.sourceId = sourceId;
    }

    public static StrictJson of(SourceSettings source) {
        return new StrictJson(source.id());
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses a whole document that must be a JSON object. */
    public JsonNode object(String text) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RejectedAnswer(sourceId, "body is not well-formed JSON (line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new RejectedAnswer(sourceId, "body is not a JSON object");
        }
        return root;
    }

    public JsonNode requiredObject(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new RejectedAnswer(sourceId, "missing field '" + field + "'");
        }
        if (!node.isObject()) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is not an object");
        }
        return node;
    }

    public Optional<JsonNode> optionalObject(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is not an object");
        }
        return Optional.of(node);
    }

    public String requiredText(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new RejectedAnswer(sourceId, "missing field '" + field + "'");
        }
        if (!node.isTextual()) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is not a string");
        }
        return node.textValue();
    }

    public String optionalText(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is not a string");
        }
        return node.textValue();
    }

    public int requiredInt(JsonNode parent, String field, int min, int max) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new RejectedAnswer(sourceId, "missing field '" + field + "'");
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is not an integer");
        }
        int value = node.intValue();
        if (value < min || value > max) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is " + value + ", outside " + min + ".." + max);
        }
        return value;
    }

    /** An integral JSON number (never a string, fraction or exponent form) within the given bounds. */
    public long requiredLong(JsonNode parent, String field, long min, long max) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new RejectedAnswer(sourceId, "missing field '" + field + "'");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is not an integer");
        }
        long value = node.longValue();
        if (value < min || value > max) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is " + value + ", outside " + min + ".." + max);
        }
        return value;
    }

    /** Epoch milliseconds as an integral JSON number, between 2000-01-01 and 2100-01-01. */
    public Instant requiredEpochMillis(JsonNode parent, String field) {
        return Instant.ofEpochMilli(requiredLong(parent, field, 946_684_800_000L, 4_102_444_800_000L));
    }

    /** An ISO-8601 date-time with an explicit offset ({@code 2022-01-04T09:00:00+08:00}). */
    public Instant requiredOffsetDateTime(JsonNode parent, String field) {
        String text = requiredText(parent, field);
        try {
            return java.time.OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is not an ISO-8601 date-time with offset");
        }
    }

    public JsonNode requiredArray(JsonNode parent, String field, int maxItems) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new RejectedAnswer(sourceId, "missing field '" + field + "'");
        }
        if (!node.isArray()) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is not an array");
        }
        if (node.size() > maxItems) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' has " + node.size() + " items, more than " + maxItems);
        }
        return node;
    }

    /** A local date-time in the source's zone, in the given pattern. */
    /** A local date-time in the source's zone, in the given pattern (e.g. {@code yyyy-MM-dd HH:mm:ss}). */
    public Instant requiredDateTime(JsonNode parent, String field, String pattern, java.time.ZoneId zone) {
        String text = requiredText(parent, field);
        try {
            return LocalDateTime.parse(text, formatter(pattern)).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is not a date-time like " + pattern);
        }
    }

    public Optional<Instant> optionalDateTime(JsonNode parent, String field, String pattern, java.time.ZoneId zone) {
        if (optionalText(parent, field).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(requiredDateTime(parent, field, pattern, zone));
    }

    public Optional<LocalDate> optionalDate(JsonNode parent, String field, String pattern) {
        String text = optionalText(parent, field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text, formatter(pattern)));
        } catch (DateTimeException e) {
            throw new RejectedAnswer(sourceId, "field '" + field + "' is not a date like " + pattern);
        }
    }

    private static final java.util.Map<String, DateTimeFormatter> FORMATTERS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Strict resolution: 2022-02-30 is an error, not March 2nd. */
    private static DateTimeFormatter formatter(String pattern) {
        return FORMATTERS.computeIfAbsent(pattern, p -> DateTimeFormatter.ofPattern(p.replace("yyyy", "uuuu"))
                .withResolverStyle(java.time.format.ResolverStyle.STRICT));
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize request", e);
        }
    }
}
