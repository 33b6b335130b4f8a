package co.malipo.core.support;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Small JSON payloads for the timeline and the attention list. */
public final class JsonText {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonText() {
    }

    /** Writes a map as JSON; a string value that is itself JSON text is embedded as JSON, not quoted. */
    public static String of(Map<String, ?> fields) {
        var node = MAPPER.createObjectNode();
        fields.forEach((key, value) -> {
            if (value instanceof String text && looksLikeJson(text)) {
                try {
                    node.set(key, MAPPER.readTree(text));
                    return;
                } catch (JsonProcessingException e) {
                    // Not JSON after all: store it as a string below.
                }
            }
            node.set(key, MAPPER.valueToTree(value));
        });
        return node.toString();
    }

    private static boolean looksLikeJson(String text) {
        String trimmed = text.trim();
        return trimmed.startsWith("{") || trimmed.startsWith("[");
    }
}
