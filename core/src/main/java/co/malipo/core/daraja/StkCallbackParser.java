package co.malipo.core.daraja;

import java.math.BigDecimal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads Daraja STK callbacks leniently: metadata items are found by name in any order, an item
 * may lack its {@code Value} (Balance usually does), and numbers may arrive as strings or the
 * reverse.
 */
public final class StkCallbackParser {

    /** Reads {@code 100.00} as an exact decimal, never as a double. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private StkCallbackParser() {
    }

    /** Parses a callback body; throws {@link UnreadableResultException} when it is not one. */
    public static StkResult parse(String body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new UnreadableResultException("callback body is not JSON", e);
        }
        JsonNode callback = root == null ? null : root.path("Body").path("stkCallback");
        if (callback == null || !callback.isObject()) {
            throw new UnreadableResultException("callback body has no Body.stkCallback object");
        }
        String checkoutRequestId = text(callback.get("CheckoutRequestID"));
        String resultCode = text(callback.get("ResultCode"));
        if (checkoutRequestId == null || resultCode == null) {
            throw new UnreadableResultException("callback has no CheckoutRequestID or ResultCode");
        }

        JsonNode items = callback.path("CallbackMetadata").path("Item");
        StkResult result = new StkResult(
                text(callback.get("MerchantRequestID")),
                checkoutRequestId,
                resultCode,
                text(callback.get("ResultDesc")),
                decimal(item(items, "Amount")),
                text(item(items, "MpesaReceiptNumber")),
                text(item(items, "TransactionDate")),
                text(item(items, "PhoneNumber")));
        // PostgreSQL text cannot hold NUL, so a field carrying one would fail every apply.
        for (String field : new String[] {result.merchantRequestId(), result.checkoutRequestId(), result.resultCode(),
                result.resultDesc(), result.receipt(), result.transactionDate(), result.phone()}) {
            if (field != null && field.indexOf('\u0000') >= 0) {
                throw new UnreadableResultException("callback field contains a NUL character");
            }
        }
        return result;
    }

    private static JsonNode item(JsonNode items, String name) {
        if (!items.isArray()) {
            return null;
        }
        for (JsonNode item : items) {
            if (name.equals(text(item.get("Name")))) {
                return item.get("Value");
            }
        }
        return null;
    }

    /** Text of a string or number node; numbers keep their exact digits. Null for anything else. */
    static String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() ? node.bigIntegerValue().toString() : node.decimalValue().toPlainString();
        }
        if (node.isTextual()) {
            String value = node.textValue().trim();
            return value.isEmpty() ? null : value;
        }
        return null;
    }

    private static BigDecimal decimal(JsonNode node) {
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
