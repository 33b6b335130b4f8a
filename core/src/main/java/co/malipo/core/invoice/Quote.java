package co.malipo.core.invoice;

import java.math.BigDecimal;

import co.malipo.core.config.GatewayConfig;

/**
 * The figures of one push. {@code value} is what the customer is asked for, {@code charges} the
 * fee and {@code netAmount} what the wallet receives; {@code value = netAmount + charges} always.
 */
public record Quote(BigDecimal amount, BigDecimal value, BigDecimal charges, BigDecimal netAmount) {

    /** Prices a rounded amount under a tariff with the configured fee percentage. */
    public static Quote of(BigDecimal roundedAmount, Tariff tariff, GatewayConfig.Payments payments) {
        BigDecimal fee = Money.fee(roundedAmount, payments.feePercent());
        if (tariff == Tariff.CUSTOMER_PAYS) {
            return new Quote(roundedAmount, roundedAmount.add(fee), fee, roundedAmount);
        }
        return new Quote(roundedAmount, roundedAmount, fee, roundedAmount.subtract(fee));
    }
}
