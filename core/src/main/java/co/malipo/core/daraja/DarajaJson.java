package co.malipo.core.daraja;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** JSON helpers for Daraja bodies. */
final class DarajaJson {

    private DarajaJson() {
    }

    /** Parses a body, or returns null when it is empty or not JSON (Daraja's gateway sometimes sends HTML). */
    static JsonNode readOrNull(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = StkCallbackParser.MAPPER.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String write(Object value) {
        try {
            return StkCallbackParser.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Daraja request", e);
        }
    }
}
