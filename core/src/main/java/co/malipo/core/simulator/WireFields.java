package co.malipo.core.simulator;

import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Field access for Daraja request bodies, where clients may send numbers either as JSON numbers or as strings. */
final class WireFields {

    /**
     * Reads floats as BigDecimal and keeps their trailing zeros, so that {@code 100.0} keeps its decimal point and
     * fails the Amount check.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private WireFields() {
    }

    /** Parses a request body, returning empty unless it is a JSON object. */
    static Optional<JsonNode> parseObject(String requestBody) {
        if (requestBody == null || requestBody.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = MAPPER.readTree(requestBody);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns the field as text: a string as is, a whole JSON number in plain digits, and a JSON number with a
     * fraction in plain decimal notation (so {@code 10.5} stays {@code "10.5"}). Returns empty for a missing field,
     * JSON null, an object or an array.
     */
    static Optional<String> text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull() || node.isContainerNode()) {
            return Optional.empty();
        }
        if (node.isIntegralNumber()) {
            return Optional.of(node.bigIntegerValue().toString());
        }
        if (node.isNumber()) {
            return Optional.of(node.decimalValue().toPlainString());
        }
        return Optional.of(node.asText());
    }

    /** Returns the field as text, or an empty string when {@link #text} finds no value. */
    static String textOrEmpty(JsonNode body, String field) {
        return text(body, field).orElse("");
    }
}
