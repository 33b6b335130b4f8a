package co.malipo.api.payment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import co.malipo.api.error.ApiException;

/**
 * Request body parsing. A body must be UTF-8 JSON holding one object, with no duplicate keys and
 * nothing after it. Top-level numbers are handed on as their exact JSON text, so that {@code 1e3}
 * and {@code 100.000} are judged by the same rules as the strings {@code "1e3"} and {@code "100.000"}.
 * Every failure is a 400 whose message names the problem in plain words.
 */
public final class JsonBodies {

    /** Largest body accepted, in bytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_NESTING = 20;
    static final int MAX_NUMBER_LENGTH = 40;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** Unpaired surrogates, NUL and other characters that PostgreSQL text cannot hold or that only hide content. */
    private static final Pattern FORBIDDEN = Pattern.compile("[\\x{0}\\p{Cs}]");
    private static final String PUSH_EXAMPLE = "{\"phone_number\": \"0712345678\", \"amount\": \"100\"}";

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .build());
    }

    private JsonBodies() {
    }

    /** Parses a body that must be a JSON object; an empty body counts as {@code {}}. */
    static ObjectNode object(byte[] bytes) {
        return object(bytes, PUSH_EXAMPLE);
    }

    /**
     * Parses a body that must be a JSON object, where an empty body counts as {@code {}}. Error
     * messages show {@code example} as the kind of object to send.
     */
    public static ObjectNode object(byte[] bytes, String example) {
        String hint = " Send a JSON object such as " + example + ".";
        if (bytes != null && bytes.length > MAX_BODY_BYTES) {
            throw ApiException.detail(413, "Request body too large: the limit is 64 KiB.");
        }
        String body = decodeUtf8(bytes);
        if (body.startsWith("\uFEFF")) {
            body = body.substring(1);
        }
        if (body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node = parse(body, hint);
        if (!node.isObject()) {
            throw ApiException.detail(400, "The request body must be a JSON object." + hint);
        }
        ObjectNode object = (ObjectNode) node;
        rejectForbiddenCharacters(object, null);
        numbersAsText(body, hint).forEach(object::set);
        return object;
    }

    private static String decodeUtf8(byte[] bytes) {
        if (bytes == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.detail(400, "The request body is not valid UTF-8. Send JSON encoded as UTF-8.");
        }
    }

    private static JsonNode parse(String body, String hint) {
        try {
            return MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiException.detail(400, "The JSON is nested deeper than " + MAX_NESTING + " levels or has a number"
                    + " longer than " + MAX_NUMBER_LENGTH + " characters." + hint);
        } catch (JsonProcessingException e) {
            throw ApiException.detail(400, describe(e) + hint);
        }
    }

    private static String describe(JsonProcessingException e) {
        String original = String.valueOf(e.getOriginalMessage());
        if (original.startsWith("Duplicate field '")) {
            String field = original.substring("Duplicate field '".length(), original.indexOf('\'', 17));
            return "Duplicate field \"" + shorten(field) + "\": send each field once.";
        }
        if (original.startsWith("Trailing token")) {
            return "Unexpected content after the JSON object.";
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return e instanceof JsonParseException ? "Malformed JSON" + where + "." : "Unreadable JSON" + where + ".";
    }

    private static void rejectForbiddenCharacters(JsonNode node, String topField) {
        if (node.isTextual() && FORBIDDEN.matcher(node.textValue()).find()) {
            String field = topField == null ? "body" : topField;
            throw ApiException.field(field, "Contains a NUL character or an unpaired surrogate. Send plain text.");
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (FORBIDDEN.matcher(field.getKey()).find()) {
                    throw ApiException.detail(400, "A field name contains a NUL character or an unpaired surrogate.");
                }
                rejectForbiddenCharacters(field.getValue(), topField == null ? field.getKey() : topField);
            }
        } else if (node.isArray()) {
            node.forEach(item -> rejectForbiddenCharacters(item, topField));
        }
    }

    /** Reads the exact JSON text of each top-level number, such as {@code 12345e-2} or {@code 100.000}. */
    private static Map<String, JsonNode> numbersAsText(String body, String hint) {
        Map<String, JsonNode> numbers = new TreeMap<>();
        try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
            int depth = 0;
            String field = null;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                } else if (token == JsonToken.FIELD_NAME && depth == 1) {
                    field = parser.currentName();
                } else if (token.isNumeric() && depth == 1 && field != null) {
                    numbers.put(field, TextNode.valueOf(parser.getText()));
                }
            }
        } catch (IOException e) {
            throw ApiException.detail(400, "Unreadable JSON." + hint);
        }
        return numbers;
    }

    /** Writes a body with its keys sorted, so that Idempotency-Key requests compare regardless of key order. */
    static String canonical(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a parsed body", e);
        }
    }

    private static Object sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), sorted(field.getValue()));
            }
            return fields;
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(sorted(item)));
            return items;
        }
        return node;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response body", e);
        }
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
