package co.malipo.core.daraja;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResultCodesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "1, CUSTOMER_ACTION",
            "2, CUSTOMER_ACTION",
            "3, CUSTOMER_ACTION",
            "4, CUSTOMER_ACTION",
            "8, CONFIGURATION",
            "17, RETRYABLE",
            "26, RETRYABLE",
            "1001, RETRYABLE",
            "1019, CUSTOMER_ACTION",
            "1025, RETRYABLE",
            "1032, CUSTOMER_ACTION",
            "1036, RETRYABLE",
            "1037, CUSTOMER_ACTION",
            "1101, CONFIGURATION",
            "2001, CUSTOMER_ACTION",
            "2028, CONFIGURATION",
            "2029, RETRYABLE",
            "8006, CUSTOMER_ACTION",
            "9999, RETRYABLE",
            "SFC_IC0003, CONFIGURATION"
    })
    void catalogueClassOfCode(String code, FailureClass expected) {
        ResultCodes.Entry entry = ResultCodes.lookup(code, "description from Daraja");

        assertThat(entry.failureClass()).isEqualTo(expected);
        assertThat(entry.code()).isEqualTo(code);
        assertThat(entry.reason()).isNotBlank().isNotEqualTo("description from Daraja");
        assertThat(entry.customerText()).isNotBlank();
    }

    @Test
    void lookupTrimsCode() {
        assertThat(ResultCodes.lookup(" 1032 ", null).failureClass()).isEqualTo(FailureClass.CUSTOMER_ACTION);
    }

    /**
     * Code 0 is success, which has no failure class, so the catalogue leaves it out and callers
     * decide success before they look a code up. A lookup of 0 still returns an entry.
     */
    @Test
    void successCodeIsNotCatalogued() {
        ResultCodes.Entry entry = ResultCodes.lookup("0", "The service request is processed successfully.");

        assertThat(entry.code()).isEqualTo("0");
        assertThat(entry.failureClass()).isEqualTo(FailureClass.UNKNOWN);
        assertThat(entry.reason()).isEqualTo("The service request is processed successfully.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4242", "500.001.1001", "SFC_IC9999", "TS0001", "-1", "", "  "})
    void unknownCodeKeepsDescription(String code) {
        ResultCodes.Entry entry = ResultCodes.lookup(code, "[STK_CB - ]Something new happened.");

        assertThat(entry.failureClass()).isEqualTo(FailureClass.UNKNOWN);
        assertThat(entry.code()).isEqualTo(code.trim());
        assertThat(entry.reason()).isEqualTo("Something new happened.");
        assertThat(entry.customerText()).isNotBlank();
    }

    @Test
    void unknownCodeWithoutDescription() {
        ResultCodes.Entry entry = ResultCodes.lookup("4242", null);

        assertThat(entry.failureClass()).isEqualTo(FailureClass.UNKNOWN);
        assertThat(entry.reason()).isEqualTo("Unknown result code 4242");
    }

    @Test
    void unknownCodeWithOnlyPrefix() {
        ResultCodes.Entry entry = ResultCodes.lookup("4242", "[STK_CB - ]");

        assertThat(entry.reason()).isEqualTo("Unknown result code 4242");
    }

    @Test
    void nullCodeDoesNotThrow() {
        assertThatCode(() -> ResultCodes.lookup(null, null)).doesNotThrowAnyException();
        assertThat(ResultCodes.lookup(null, "x").failureClass()).isEqualTo(FailureClass.UNKNOWN);
    }

    @Test
    void cleanDescriptionStripsSourcePrefix() {
        assertThat(ResultCodes.cleanDescription("[STK_CB - ]SMSC ACK timeout.")).isEqualTo("SMSC ACK timeout.");
    }

    @Test
    void cleanDescriptionKeepsPlainText() {
        assertThat(ResultCodes.cleanDescription("Request cancelled by user")).isEqualTo("Request cancelled by user");
        assertThat(ResultCodes.cleanDescription("  DS timeout user cannot be reached ")).isEqualTo(
                "DS timeout user cannot be reached");
    }

    @Test
    void cleanDescriptionOfNothing() {
        assertThat(ResultCodes.cleanDescription(null)).isNull();
        assertThat(ResultCodes.cleanDescription("   ")).isNull();
        assertThat(ResultCodes.cleanDescription("[MerchantValidate]")).isNull();
    }

    @Test
    void cleanDescriptionStripsOnlyLeadingBrackets() {
        assertThat(ResultCodes.cleanDescription("Limit [daily] reached")).isEqualTo("Limit [daily] reached");
    }
}
