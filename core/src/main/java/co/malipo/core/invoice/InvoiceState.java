package co.malipo.core.invoice;

/** Invoice states as the merchant API names them. {@code COMPLETE} is final; {@code FAILED} may still become {@code COMPLETE}. */
public enum InvoiceState {
    PENDING,
    PROCESSING,
    COMPLETE,
    FAILED;

    public boolean isOpen() {
        return this == PENDING || this == PROCESSING;
    }
}
