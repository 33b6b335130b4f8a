package co.malipo.core.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.daraja.TestGatewayConfig;
import org.junit.jupiter.api.Test;

class QuoteTest {

    private static final GatewayConfig.Payments PAYMENTS = TestGatewayConfig.payments(new BigDecimal("1.5"));
    private static final List<BigDecimal> FEE_PERCENTS = List.of(new BigDecimal("0"), new BigDecimal("0.5"),
            new BigDecimal("1.5"), new BigDecimal("2.75"), new BigDecimal("10"));

    @Test
    void customerPaysAddsFee() {
        Quote quote = Quote.of(Money.ceilShilling(new BigDecimal("100")), Tariff.CUSTOMER_PAYS, PAYMENTS);

        assertThat(quote.amount()).isEqualTo(new BigDecimal("100.00"));
        assertThat(quote.value()).isEqualTo(new BigDecimal("102.00"));
        assertThat(quote.charges()).isEqualTo(new BigDecimal("2.00"));
        assertThat(quote.netAmount()).isEqualTo(new BigDecimal("100.00"));
    }

    @Test
    void businessPaysDeductsFee() {
        Quote quote = Quote.of(Money.ceilShilling(new BigDecimal("100")), Tariff.BUSINESS_PAYS, PAYMENTS);

        assertThat(quote.amount()).isEqualTo(new BigDecimal("100.00"));
        assertThat(quote.value()).isEqualTo(new BigDecimal("100.00"));
        assertThat(quote.charges()).isEqualTo(new BigDecimal("2.00"));
        assertThat(quote.netAmount()).isEqualTo(new BigDecimal("98.00"));
    }

    /** Every whole amount from 1 to 20,000 KES under both tariffs and several fee percentages. */
    @Test
    void figuresAddUpForSmallAmounts() {
        for (BigDecimal percent : FEE_PERCENTS) {
            GatewayConfig.Payments payments = TestGatewayConfig.payments(percent);
            for (int shillings = 1; shillings <= 20_000; shillings++) {
                checkQuote(Money.ceilShilling(BigDecimal.valueOf(shillings)), percent, payments);
            }
        }
    }

    /** Random amounts in cents up to 150,000 KES, rounded up the way the validator rounds them. */
    @Test
    void figuresAddUpForRandomAmounts() {
        Random random = new Random(20240302L);
        for (BigDecimal percent : FEE_PERCENTS) {
            GatewayConfig.Payments payments = TestGatewayConfig.payments(percent);
            for (int i = 0; i < 20_000; i++) {
                BigDecimal requested = BigDecimal.valueOf(1 + random.nextInt(15_000_000), 2);
                checkQuote(Money.ceilShilling(requested), percent, payments);
            }
        }
    }

    private static void checkQuote(BigDecimal amount, BigDecimal percent, GatewayConfig.Payments payments) {
        for (Tariff tariff : Tariff.values()) {
            Quote quote = Quote.of(amount, tariff, payments);
            String label = tariff + " " + amount + " at " + percent + "%";

            assertThat(quote.value()).as(label).isEqualTo(quote.netAmount().add(quote.charges()));
            assertThat(quote.charges().signum()).as(label).isGreaterThanOrEqualTo(0);
            assertThat(quote.amount().scale()).as(label).isEqualTo(2);
            assertThat(quote.value().scale()).as(label).isEqualTo(2);
            assertThat(quote.charges().scale()).as(label).isEqualTo(2);
            assertThat(quote.netAmount().scale()).as(label).isEqualTo(2);
            // The fee is the smallest whole shilling at or above the exact percentage.
            BigDecimal exactFee = amount.multiply(percent).movePointLeft(2);
            assertThat(quote.charges()).as(label).isGreaterThanOrEqualTo(exactFee);
            assertThat(quote.charges().subtract(BigDecimal.ONE)).as(label).isLessThan(exactFee);
            if (tariff == Tariff.CUSTOMER_PAYS) {
                assertThat(quote.netAmount()).as(label).isEqualTo(amount);
            } else {
                assertThat(quote.value()).as(label).isEqualTo(amount);
            }
        }
    }
}
