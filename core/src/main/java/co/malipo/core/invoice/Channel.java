package co.malipo.core.invoice;

/** Where an invoice came from. */
public enum Channel {
    API,
    USSD,
    SMS
}
