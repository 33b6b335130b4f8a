package co.malipo.core.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.01, 11.00",
            "10.00, 10.00",
            "10, 10.00",
            "0.01, 1.00",
            "99.5, 100.00",
            "149999.99, 150000.00"
    })
    void ceilShillingRoundsUp(String amount, String expected) {
        BigDecimal rounded = Money.ceilShilling(new BigDecimal(amount));

        assertThat(rounded).isEqualTo(new BigDecimal(expected));
        assertThat(rounded.scale()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{1}% of {0} -> {2}")
    @CsvSource({
            "100.00, 1.5, 2.00",
            "200.00, 1.5, 3.00",
            "10.00, 1.5, 1.00",
            "1000.00, 1.5, 15.00",
            "1001.00, 1.5, 16.00",
            "100.00, 0, 0.00"
    })
    void feeRoundsUp(String amount, String percent, String expected) {
        assertThat(Money.fee(new BigDecimal(amount), new BigDecimal(percent))).isEqualTo(new BigDecimal(expected));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "100, 100.00",
            "99.5, 99.50",
            "1E+2, 100.00"
    })
    void formatUsesTwoDecimals(String amount, String expected) {
        assertThat(Money.format(new BigDecimal(amount))).isEqualTo(expected);
    }
}
