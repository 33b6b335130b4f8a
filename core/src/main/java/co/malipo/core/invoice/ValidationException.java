package co.malipo.core.invoice;

import java.util.List;
import java.util.Map;

/** Invalid request fields, each with its messages, reported together. */
public class ValidationException extends RuntimeException {

    private final Map<String, List<String>> errors;

    public ValidationException(Map<String, List<String>> errors) {
        super("invalid fields: " + errors.keySet());
        this.errors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(errors));
    }

    public Map<String, List<String>> errors() {
        return errors;
    }
}
