package co.malipo.core.simulator;

/** Error replies of Daraja's OAuth and M-Pesa Express endpoints, with Daraja's codes and messages. */
final class DarajaErrors {

    static final String INVALID_GRANT_TYPE = "400.008.02";
    static final String INVALID_AUTHENTICATION = "400.008.01";
    static final String INVALID_ACCESS_TOKEN = "404.001.03";
    static final String BAD_REQUEST = "400.002.02";
    static final String MERCHANT_ERROR = "500.001.1001";
    /** Code of the simulator's server-error fault. It mimics a gateway error, not a documented Daraja code. */
    static final String SERVICE_UNAVAILABLE = "503.001.01";

    static final String WRONG_CREDENTIALS = "[MerchantValidate] - Wrong credentials";
    static final String SUBSCRIBER_LOCKED =
            "Unable to lock subscriber, a transaction is already in process for the current subscriber";

    private DarajaErrors() {
    }

    static SimulatorReply invalidGrantType() {
        return SimulatorReply.error(400, SimulatorIds.requestId(), INVALID_GRANT_TYPE, "Invalid grant type passed");
    }

    static SimulatorReply invalidAuthentication() {
        return SimulatorReply.error(400, SimulatorIds.requestId(), INVALID_AUTHENTICATION,
                "Invalid authentication type passed");
    }

    static SimulatorReply invalidAccessToken() {
        return SimulatorReply.error(404, SimulatorIds.requestId(), INVALID_ACCESS_TOKEN, "Invalid Access Token");
    }

    /** Builds the 400 reply for a field that fails its check, for example {@code Bad Request - Invalid Amount}. */
    static SimulatorReply invalidField(String field) {
        return SimulatorReply.error(400, SimulatorIds.requestId(), BAD_REQUEST, "Bad Request - Invalid " + field);
    }

    // NOTE: this 400 is an assumption, because Daraja's reply to a body that is not a JSON object was not checked.
    static SimulatorReply invalidJson() {
        return invalidField("JSON");
    }

    /** Builds the 500 reply for a request Daraja accepted as well formed but rejects, with Daraja's message. */
    static SimulatorReply merchantError(String message) {
        return SimulatorReply.error(500, SimulatorIds.requestId(), MERCHANT_ERROR, message);
    }

    /** Builds the 500 reply to a query made before the outcome is due, with the CheckoutRequestID as requestId. */
    static SimulatorReply beingProcessed(String checkoutRequestId) {
        return SimulatorReply.error(500, checkoutRequestId, MERCHANT_ERROR, "The transaction is being processed");
    }

    /** Builds the 503 reply of the server-error fault. */
    static SimulatorReply serviceUnavailable() {
        return SimulatorReply.error(503, SimulatorIds.requestId(), SERVICE_UNAVAILABLE, "Service Unavailable");
    }
}
