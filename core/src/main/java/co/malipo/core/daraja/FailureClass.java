package co.malipo.core.daraja;

/** Party that can fix a failed push: the customer, time, or the operator's configuration. */
public enum FailureClass {
    /** The customer declined, mistyped the PIN, lacked funds or did not respond. */
    CUSTOMER_ACTION,
    /** A passing condition at Safaricom or on the customer's line; a new push later may succeed. */
    RETRYABLE,
    /** Our shortcode, credentials or account settings are wrong; every push will fail until fixed. */
    CONFIGURATION,
    /** A code not in the catalogue. */
    UNKNOWN
}
