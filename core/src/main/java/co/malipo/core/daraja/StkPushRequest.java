package co.malipo.core.daraja;

/**
 * The parts of a push that vary per invoice. Amount is whole shillings; the phone is
 * {@code 2547XXXXXXXX} or {@code 2541XXXXXXXX}; reference and description are already sanitised.
 */
public record StkPushRequest(long amount, String phone, String callbackUrl, String accountReference,
        String transactionDesc) {
}
