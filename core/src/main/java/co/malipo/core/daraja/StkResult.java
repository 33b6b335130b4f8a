package co.malipo.core.daraja;

import java.math.BigDecimal;

/**
 * A result of an STK push as a callback or a query reports it. Query results carry no receipt,
 * amount or phone, so those fields are null there.
 */
public record StkResult(
        String merchantRequestId,
        String checkoutRequestId,
        String resultCode,
        String resultDesc,
        BigDecimal amount,
        String receipt,
        String transactionDate,
        String phone) {

    public boolean isSuccess() {
        return "0".equals(resultCode);
    }
}
