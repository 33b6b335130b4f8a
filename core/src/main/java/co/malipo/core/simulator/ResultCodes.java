package co.malipo.core.simulator;

import java.util.Map;

/** STK result codes and the ResultDesc texts Daraja sends with them. */
final class ResultCodes {

    static final int SUCCESS = 0;
    static final int CANCELLED_BY_USER = 1032;
    static final int USER_UNREACHABLE = 1037;

    private static final Map<Integer, String> DESCRIPTIONS = Map.of(
            SUCCESS, "The service request is processed successfully.",
            1, "The balance is insufficient for the transaction.",
            17, "Rule limited.",
            1001, "Unable to lock subscriber, a transaction is already in process for the current subscriber",
            1019, "Transaction has expired.",
            1025, "An error occurred while sending a push request.",
            CANCELLED_BY_USER, "Request cancelled by user",
            USER_UNREACHABLE, "DS timeout user cannot be reached",
            2001, "The initiator information is invalid.",
            9999, "[STK_CB - ]Error while sending push request");

    private ResultCodes() {
    }

    /** Returns Daraja's ResultDesc for the code, or {@code Simulated result code N} for other codes. */
    static String description(int code) {
        return DESCRIPTIONS.getOrDefault(code, "Simulated result code " + code);
    }
}
