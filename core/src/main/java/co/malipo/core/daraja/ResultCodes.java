package co.malipo.core.daraja;

import java.util.Map;

/**
 * Catalogue of M-Pesa Express result codes: the merchant-facing reason, a text fit for a
 * customer, and the failure class. Codes come from Safaricom's published table, with 17, 26,
 * 1001, 1036, 2029, 9999 and 1101 as integrators report them.
 */
public final class ResultCodes {

    /** Meaning of one result code. */
    public record Entry(String code, String reason, String customerText, FailureClass failureClass) {
    }

    private static final Map<String, Entry> ENTRIES = Map.ofEntries(
            entry("1", "The balance is insufficient for the transaction.",
                    "Your M-Pesa balance is not enough for this payment.", FailureClass.CUSTOMER_ACTION),
            entry("2", "Declined due to limit rule: less than the minimum transaction amount.",
                    "The amount is below the M-Pesa minimum.", FailureClass.CUSTOMER_ACTION),
            entry("3", "Declined due to limit rule: greater than the maximum transaction amount.",
                    "The amount is above the M-Pesa maximum for one payment.", FailureClass.CUSTOMER_ACTION),
            entry("4", "Declined due to limit rule: would exceed daily transfer limit.",
                    "This payment would pass your daily M-Pesa limit.", FailureClass.CUSTOMER_ACTION),
            entry("8", "Declined due to limit rule: would exceed the maximum balance.",
                    "The business cannot receive this payment now.", FailureClass.CONFIGURATION),
            entry("17", "Rule limited.",
                    "A payment of the same amount was just made. Wait two minutes and try again.",
                    FailureClass.RETRYABLE),
            entry("26", "System busy.", "M-Pesa is busy. Please try again shortly.", FailureClass.RETRYABLE),
            entry("1001", "Unable to lock subscriber, a transaction is already in process for the current subscriber",
                    "Another M-Pesa request is open on your phone. Finish it, then try again.",
                    FailureClass.RETRYABLE),
            entry("1019", "Transaction has expired.",
                    "The payment request expired before it was answered.", FailureClass.CUSTOMER_ACTION),
            entry("1025", "An error occurred while sending a push request.",
                    "The payment request could not be sent. Please try again.", FailureClass.RETRYABLE),
            entry("1032", "Request cancelled by user",
                    "You cancelled the payment request.", FailureClass.CUSTOMER_ACTION),
            entry("1036", "SMSC ACK timeout.",
                    "Your phone did not confirm in time. Please try again.", FailureClass.RETRYABLE),
            entry("1037", "DS timeout user cannot be reached",
                    "Your phone could not be reached. Keep it on and unlocked, then try again.",
                    FailureClass.CUSTOMER_ACTION),
            entry("1101", "Invalid input parameter: prompt message prefix too long.",
                    "The payment request could not be sent.", FailureClass.CONFIGURATION),
            entry("2001", "The initiator information is invalid.",
                    "The M-Pesa PIN was wrong.", FailureClass.CUSTOMER_ACTION),
            entry("2028", "The request is not permitted according to product assignment.",
                    "The business cannot receive M-Pesa payments right now.", FailureClass.CONFIGURATION),
            entry("2029", "Temporary M-Pesa error.",
                    "M-Pesa had a temporary problem. Please try again.", FailureClass.RETRYABLE),
            entry("8006", "The security credential is locked.",
                    "Your M-Pesa PIN is locked. Call Safaricom customer care.", FailureClass.CUSTOMER_ACTION),
            entry("9999", "Error while sending push request.",
                    "The payment request could not be sent. Please try again.", FailureClass.RETRYABLE),
            entry("SFC_IC0003", "The operator does not exist.",
                    "The business cannot receive M-Pesa payments right now.", FailureClass.CONFIGURATION));

    private ResultCodes() {
    }

    /**
     * Looks a code up. An unknown code, numeric or not, gets an entry of class
     * {@link FailureClass#UNKNOWN} whose reason is the description Daraja sent.
     */
    public static Entry lookup(String code, String description) {
        String key = code == null ? "" : code.trim();
        Entry known = ENTRIES.get(key);
        if (known != null) {
            return known;
        }
        String reason = cleanDescription(description);
        return new Entry(key, reason == null ? "Unknown result code " + key : reason,
                "The payment did not go through.", FailureClass.UNKNOWN);
    }

    /** Strips the bracketed source prefix Daraja sometimes adds, as in {@code [STK_CB - ]SMSC ACK timeout.}. */
    public static String cleanDescription(String description) {
        if (description == null) {
            return null;
        }
        String cleaned = description.replaceFirst("^\\[[^\\]]*\\]\\s*", "").trim();
        return cleaned.isEmpty() ? null : cleaned;
    }

    private static Map.Entry<String, Entry> entry(String code, String reason, String customerText, FailureClass cls) {
        return Map.entry(code, new Entry(code, reason, customerText, cls));
    }
}
