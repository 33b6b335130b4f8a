package co.malipo.core.daraja;

import com.fasterxml.jackson.databind.JsonNode;

/** Daraja's error body, {@code {"requestId", "errorCode", "errorMessage"}}. */
record DarajaError(String errorCode, String errorMessage) {

    /** Reads an error body; null when the body has no {@code errorCode}. */
    static DarajaError from(JsonNode body) {
        if (body == null) {
            return null;
        }
        String code = StkCallbackParser.text(body.get("errorCode"));
        if (code == null) {
            return null;
        }
        String message = StkCallbackParser.text(body.get("errorMessage"));
        return new DarajaError(code, message == null ? "" : message);
    }

    boolean isInvalidToken() {
        return "404.001.03".equals(errorCode);
    }

    boolean isStillProcessing() {
        return "500.001.1001".equals(errorCode) && contains("being processed");
    }

    /** Classifies a rejection of a push, or returns null when the error leaves the outcome unknown. */
    FailureClass pushRejectionClass(int httpStatus) {
        if ("500.001.1001".equals(errorCode)) {
            if (contains("unable to lock subscriber")) {
                return FailureClass.RETRYABLE;
            }
            if (contains("wrong credentials") || contains("merchant does not exist")) {
                return FailureClass.CONFIGURATION;
            }
            return null;
        }
        if (contains("no apiproduct match")) {
            return FailureClass.CONFIGURATION;
        }
        if (httpStatus >= 400 && httpStatus < 500 && httpStatus != 429) {
            return contains("phonenumber") || contains("partya")
                    ? FailureClass.CUSTOMER_ACTION
                    : FailureClass.CONFIGURATION;
        }
        return null;
    }

    private boolean contains(String fragment) {
        return errorMessage.toLowerCase(java.util.Locale.ROOT).contains(fragment);
    }
}
