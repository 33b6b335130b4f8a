package co.malipo.core.invoice;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Shilling arithmetic: amounts are whole shillings held as {@code BigDecimal} with two decimal places. */
public final class Money {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Money() {
    }

    /** Rounds up to the whole shilling and gives the result two decimal places. */
    public static BigDecimal ceilShilling(BigDecimal amount) {
        return amount.setScale(0, RoundingMode.CEILING).setScale(2, RoundingMode.UNNECESSARY);
    }

    /** Computes the fee on an amount: a percentage rounded up to the whole shilling. */
    public static BigDecimal fee(BigDecimal amount, BigDecimal percent) {
        return ceilShilling(amount.multiply(percent).divide(HUNDRED, 10, RoundingMode.CEILING));
    }

    /** Formats with exactly two decimal places, as the merchant API shows amounts. */
    public static String format(BigDecimal amount) {
        return amount == null ? null : amount.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }
}
