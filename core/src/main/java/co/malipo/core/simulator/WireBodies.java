package co.malipo.core.simulator;

import java.math.RoundingMode;
import java.time.Instant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.core.daraja.DarajaTime;

/** Success replies and callback bodies in Daraja's field names, order and JSON types. */
final class WireBodies {

    static final String ACCEPTED = "Success. Request accepted for processing";
    static final String QUERY_ACCEPTED = "The service request has been accepted successfully";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private WireBodies() {
    }

    /** Builds the OAuth reply, with {@code expires_in} as a string as Daraja sends it. */
    static ObjectNode token(String accessToken) {
        ObjectNode body = JSON.objectNode();
        body.put("access_token", accessToken);
        body.put("expires_in", Long.toString(TokenStore.LIFETIME.toSeconds()));
        return body;
    }

    static ObjectNode pushAccepted(SimulatedPush push) {
        ObjectNode body = JSON.objectNode();
        body.put("MerchantRequestID", push.merchantRequestId());
        body.put("CheckoutRequestID", push.checkoutRequestId());
        body.put("ResponseCode", "0");
        body.put("ResponseDescription", ACCEPTED);
        body.put("CustomerMessage", ACCEPTED);
        return body;
    }

    /** Builds the reply to a query whose outcome is due. ResultCode is a string here, unlike in callbacks. */
    static ObjectNode queryResult(SimulatedPush push, int resultCode) {
        ObjectNode body = JSON.objectNode();
        body.put("ResponseCode", "0");
        body.put("ResponseDescription", QUERY_ACCEPTED);
        body.put("MerchantRequestID", push.merchantRequestId());
        body.put("CheckoutRequestID", push.checkoutRequestId());
        body.put("ResultCode", Integer.toString(resultCode));
        body.put("ResultDesc", ResultCodes.description(resultCode));
        return body;
    }

    /** Builds a callback for a push that failed with the given result code. */
    static ObjectNode failureCallback(SimulatedPush push, int resultCode) {
        ObjectNode body = JSON.objectNode();
        stkCallback(body, push, resultCode);
        return body;
    }

    /**
     * Builds a success callback. Amount has two decimals, Balance has no Value, and TransactionDate and
     * PhoneNumber are JSON numbers, as in Daraja's callbacks.
     *
     * @throws IllegalStateException if the push has no receipt number
     */
    static ObjectNode successCallback(SimulatedPush push, Instant paidAt) {
        String receipt = push.receipt().orElseThrow(() -> new IllegalStateException(
                "Internal error: push " + push.checkoutRequestId() + " succeeded without a receipt number"));
        ArrayNode items = JSON.arrayNode();
        items.add(item("Amount").put("Value", push.amount().setScale(2, RoundingMode.UNNECESSARY)));
        items.add(item("MpesaReceiptNumber").put("Value", receipt));
        items.add(item("Balance"));
        items.add(item("TransactionDate").put("Value", Long.parseLong(DarajaTime.timestamp(paidAt))));
        items.add(item("PhoneNumber").put("Value", Long.parseLong(push.phoneNumber())));

        ObjectNode body = JSON.objectNode();
        ObjectNode callback = stkCallback(body, push, ResultCodes.SUCCESS);
        callback.putObject("CallbackMetadata").set("Item", items);
        return body;
    }

    private static ObjectNode stkCallback(ObjectNode body, SimulatedPush push, int resultCode) {
        ObjectNode callback = body.putObject("Body").putObject("stkCallback");
        callback.put("MerchantRequestID", push.merchantRequestId());
        callback.put("CheckoutRequestID", push.checkoutRequestId());
        callback.put("ResultCode", resultCode);
        callback.put("ResultDesc", ResultCodes.description(resultCode));
        return callback;
    }

    private static ObjectNode item(String name) {
        return JSON.objectNode().put("Name", name);
    }
}
