package co.malipo.api.error;

import java.util.Map;

/** An error with its HTTP status and the JSON body the merchant receives. */
public class ApiException extends RuntimeException {

    private final int status;
    private final Map<String, ?> body;

    public ApiException(int status, Map<String, ?> body) {
        super("HTTP " + status + " " + body);
        this.status = status;
        this.body = body;
    }

    /** Creates an error whose body is {@code {"detail": message}}. */
    public static ApiException detail(int status, String message) {
        return new ApiException(status, Map.of("detail", message));
    }

    /** Creates a 400 for one field, as {@code {"field": ["message"]}}. */
    public static ApiException field(String field, String message) {
        return new ApiException(400, Map.of(field, java.util.List.of(message)));
    }

    public int status() {
        return status;
    }

    public Map<String, ?> body() {
        return body;
    }
}
