package co.malipo.core.invoice;

/**
 * Daraja's {@code AccountReference} (at most 12 characters, shown on the prompt) and
 * {@code TransactionDesc} (at most 13), derived from our data and limited to letters and digits,
 * because Daraja rejects or silently drops prompts with special characters or long text.
 */
public final class DarajaText {

    static final int ACCOUNT_REFERENCE_MAX = 12;

    private DarajaText() {
    }

    /** Reduces the merchant reference to ASCII letters and digits, or returns the invoice id when nothing is left. */
    public static String accountReference(String apiRef, String invoiceId) {
        String cleaned = apiRef == null ? "" : apiRef.replaceAll("[^A-Za-z0-9]", "");
        if (cleaned.isEmpty()) {
            cleaned = invoiceId;
        }
        return cleaned.length() > ACCOUNT_REFERENCE_MAX ? cleaned.substring(0, ACCOUNT_REFERENCE_MAX) : cleaned;
    }

    /** {@code Pay} followed by the ten-character invoice id: thirteen characters. */
    public static String transactionDesc(String invoiceId) {
        return "Pay" + invoiceId;
    }
}
