package co.malipo.api.payment;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.api.error.ApiException;

/**
 * Request body parsing. Decimals stay exact with their trailing zeros and exponents, so that
 * {@code 1e3} is distinguishable from {@code 1000}. Nesting and number length are bounded, and bad
 * JSON gets one clear 400.
 */
final class JsonBodies {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(20)
                .maxNumberLength(40)
                .build());
    }

    private JsonBodies() {
    }

    /** Parses a body that must be a JSON object; an empty body counts as {@code {}}. */
    static ObjectNode object(String body) {
        if (body == null || body.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.detail(400, "JSON parse error: " + e.getOriginalMessage()
                    + ". Send a JSON object such as {\"phone_number\": \"0712345678\", \"amount\": \"100\"}.");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.detail(400, "The request body must be a JSON object.");
        }
        return (ObjectNode) node;
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
            java.util.List<Object> items = new java.util.ArrayList<>();
            node.forEach(item -> items.add(sorted(item)));
            return items;
        }
        return node;
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response body", e);
        }
    }
}
