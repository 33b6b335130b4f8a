package co.malipo.core.invoice;

/** The merchant already has an open push to this phone with the same reference and amount. */
public class DuplicatePushException extends RuntimeException {

    private final String openInvoiceId;

    public DuplicatePushException(String openInvoiceId) {
        super("an open push with the same phone, reference and amount exists: " + openInvoiceId);
        this.openInvoiceId = openInvoiceId;
    }

    public String openInvoiceId() {
        return openInvoiceId;
    }
}
