package co.malipo.core.invoice;

/** Channel an invoice came from. */
public enum Channel {
    API,
    USSD,
    SMS
}
