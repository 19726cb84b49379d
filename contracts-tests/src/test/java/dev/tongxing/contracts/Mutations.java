package dev.tongxing.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mutators of valid payloads for the fuzz properties: byte flips, truncation, field deletion and
 * duplication, colour-value swaps, type confusion and charset swaps. Pure functions of a Random, so
 * a failing case is reproduced from the seed {@link Fuzz} reports.
 */
final class Mutations {

    static final ObjectMapper LENIENT = new ObjectMapper();
    static final Charset GBK = Charset.forName("GBK");
    private static final Charset[] CHARSETS = {StandardCharsets.UTF_8, GBK, StandardCharsets.ISO_8859_1, StandardCharsets.UTF_16};
    private static final String[] CONTENT_TYPES = {"text/html; charset=UTF-8", "", "application/octet-stream", "text/plain",
            "application/json; charset=GBK", "application/xml; charset=UTF-8", "text/xml; charset=GBK", "application/json; charset=UTF-16",
            "application/json; charset=bogus-42"};
    private static final Pattern JSON_MEMBER = Pattern.compile("\"[A-Za-z]+\"\\s*:\\s*(\"[^\"]*\"|-?[0-9.eE+]+|true|false|null)");
    private static final Pattern XML_ELEMENT = Pattern.compile("<([A-Za-z]+)>[^<]*</\\1>");

    private Mutations() {}

    /** A reply as the mutators see it: text with its declared content type and the charset to encode it in. */
    record Payload(String text, String contentType, Charset encoding, byte[] raw) {
        static Payload of(String text, String contentType, Charset encoding) {
            return new Payload(text, contentType, encoding, null);
        }

        byte[] bytes() {
            return raw != null ? raw : text.getBytes(encoding);
        }
    }

    /** Applies one to three mutations; {@code colours} are values to swap into colour fields. */
    static Payload mutate(Payload payload, Random random, List<String> colours, Pattern colourField) {
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            payload = once(payload, random, colours, colourField);
        }
        return payload;
    }

    private static Payload once(Payload p, Random random, List<String> colours, Pattern colourField) {
        if (p.raw != null) {
            return bytes(p, random);
        }
        return switch (random.nextInt(10)) {
            case 0 -> bytes(p, random);
            case 1 -> {
                byte[] all = p.bytes();
                yield new Payload(p.text, p.contentType, p.encoding, java.util.Arrays.copyOf(all, random.nextInt(all.length + 1)));
            }
            case 2 -> Payload.of(deleteMember(p.text, random), p.contentType, p.encoding);
            case 3 -> Payload.of(duplicateMember(p.text, random), p.contentType, p.encoding);
            case 4, 5 -> Payload.of(swapColour(p.text, random, colours, colourField), p.contentType, p.encoding);
            case 6 -> Payload.of(confuseType(p.text, random), p.contentType, p.encoding);
            case 7 -> new Payload(p.text, p.contentType, CHARSETS[random.nextInt(CHARSETS.length)], null);
            case 8 -> Payload.of(p.text, random.nextBoolean() ? CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]
                    : p.contentType.replaceAll("(?i)charset=[A-Za-z0-9-]+", "charset=" + CHARSETS[random.nextInt(CHARSETS.length)].name()),
                    p.encoding);
            default -> Payload.of(treeMutation(p.text, random, colours), p.contentType, p.encoding);
        };
    }

    private static Payload bytes(Payload p, Random random) {
        byte[] all = p.bytes().clone();
        if (all.length == 0) {
            return p;
        }
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(all.length);
            all[at] = random.nextBoolean() ? (byte) (all[at] ^ (1 << random.nextInt(8))) : (byte) random.nextInt(256);
        }
        return new Payload(p.text, p.contentType, p.encoding, all);
    }

    private static List<int[]> spans(String text) {
        List<int[]> spans = new ArrayList<>();
        for (Pattern pattern : new Pattern[] {JSON_MEMBER, XML_ELEMENT}) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                spans.add(new int[] {m.start(), m.end()});
            }
        }
        return spans;
    }

    private static String deleteMember(String text, Random random) {
        List<int[]> spans = spans(text);
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        int end = span[1] < text.length() && text.charAt(span[1]) == ',' ? span[1] + 1 : span[1];
        return text.substring(0, span[0]) + text.substring(end);
    }

    private static String duplicateMember(String text, Random random) {
        List<int[]> spans = spans(text);
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        String member = text.substring(span[0], span[1]);
        String separator = member.startsWith("<") ? "" : ",";
        if (random.nextBoolean()) {
            // Same member again, possibly with another colour: which one would a lax parser pick?
            member = member.replaceFirst("(>|:\\s*\"?)[^\"<,]*", "$1" + (random.nextBoolean() ? "0" : "lvma"));
        }
        return text.substring(0, span[1]) + separator + member + text.substring(span[1]);
    }

    private static String swapColour(String text, Random random, List<String> colours, Pattern colourField) {
        Matcher m = colourField.matcher(text);
        if (!m.find()) {
            return text;
        }
        String value = colours.get(random.nextInt(colours.size()));
        return text.substring(0, m.start(1)) + value + text.substring(m.end(1));
    }

    private static String confuseType(String text, Random random) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = JSON_MEMBER.matcher(text);
        while (m.find()) {
            spans.add(new int[] {m.start(1), m.end(1)});
        }
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        String old = text.substring(span[0], span[1]);
        String replacement = switch (random.nextInt(8)) {
            case 0 -> old.startsWith("\"") ? old.substring(1, old.length() - 1) : "\"" + old + "\"";
            case 1 -> "0.5";
            case 2 -> "true";
            case 3 -> "null";
            case 4 -> "[" + old + "]";
            case 5 -> "{\"v\":" + old + "}";
            case 6 -> "1e0";
            default -> "99999999999999999999";
        };
        return text.substring(0, span[0]) + replacement + text.substring(span[1]);
    }

    /** Structural mutation through a JSON tree (only for JSON texts): replace a random scalar with a colour value or another scalar. */
    private static String treeMutation(String text, Random random, List<String> colours) {
        JsonNode root;
        try {
            root = LENIENT.readTree(text);
        } catch (Exception e) {
            return text;
        }
        if (root == null || !root.isObject()) {
            return text;
        }
        List<ObjectNode> objects = new ArrayList<>();
        collect(root, objects);
        ObjectNode target = objects.get(random.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        target.fieldNames().forEachRemaining(names::add);
        if (names.isEmpty()) {
            return text;
        }
        String name = names.get(random.nextInt(names.size()));
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (random.nextInt(5)) {
            case 0 -> target.remove(name);
            case 1 -> target.set(name, f.textNode(colours.get(random.nextInt(colours.size()))));
            case 2 -> target.set(name, f.numberNode(random.nextInt(5) - 1));
            case 3 -> target.set(name, f.objectNode());
            default -> target.set(name + (random.nextBoolean() ? "_" : ""), target.get(name));
        }
        return target.isEmpty() ? "{}" : root.toString();
    }

    private static void collect(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ObjectNode object) {
            out.add(object);
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                collect(it.next().getValue(), out);
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> collect(child, out));
        }
    }
}
