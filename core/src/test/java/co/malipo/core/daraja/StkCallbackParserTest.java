package co.malipo.core.daraja;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StkCallbackParserTest {

    @Test
    void successCallbackReadsEveryItem() {
        StkResult result = StkCallbackParser.parse(Fixtures.read("callback-success.json"));

        assertThat(result.resultCode()).isEqualTo("0");
        assertThat(result.isSuccess()).isTrue();
        assertThat(result.merchantRequestId()).isEqualTo("f1e2-4b7c-9a3d-5c6e21a8b0d4");
        assertThat(result.checkoutRequestId()).isEqualTo("ws_CO_02032024133000123700000001");
        assertThat(result.resultDesc()).isEqualTo("The service request is processed successfully.");
        assertThat(result.amount()).isEqualByComparingTo("100.00");
        assertThat(result.receipt()).isEqualTo("SC24XK7Q2M");
        assertThat(result.transactionDate()).isEqualTo("20240302013000");
        assertThat(result.phone()).isEqualTo("254700000001");
    }

    @Test
    void successReorderedWithoutBalance() {
        StkResult result = StkCallbackParser.parse(Fixtures.read("callback-success-reordered-no-balance.json"));

        assertThat(result.resultCode()).isEqualTo("0");
        assertThat(result.amount()).isEqualByComparingTo("100.00");
        assertThat(result.receipt()).isEqualTo("SC24XK7Q2M");
        assertThat(result.transactionDate()).isEqualTo("20240302013000");
        assertThat(result.phone()).isEqualTo("254700000001");
    }

    @Test
    void resultCodeAsNumberOrString() {
        StkResult numeric = StkCallbackParser.parse(Fixtures.read("callback-success.json"));
        StkResult text = StkCallbackParser.parse(Fixtures.read("callback-success-string-result-code.json"));

        assertThat(numeric.resultCode()).isEqualTo("0");
        assertThat(text.resultCode()).isEqualTo("0");
        assertThat(text.isSuccess()).isTrue();
        assertThat(text).isEqualTo(numeric);
    }

    @Test
    void cancelledCallbackHasNoMetadata() {
        StkResult result = StkCallbackParser.parse(Fixtures.read("callback-cancelled.json"));

        assertThat(result.resultCode()).isEqualTo("1032");
        assertThat(result.isSuccess()).isFalse();
        assertThat(result.checkoutRequestId()).isEqualTo("ws_CO_02032024134512456700000002");
        assertThat(result.resultDesc()).isEqualTo("Request cancelled by user");
        assertThat(result.amount()).isNull();
        assertThat(result.receipt()).isNull();
        assertThat(result.transactionDate()).isNull();
        assertThat(result.phone()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<html><body>502 Bad Gateway</body></html>",
            "",
            "null",
            "[]",
            "{}",
            "{\"Body\":{}}",
            "{\"Body\":{\"stkCallback\":\"text\"}}",
            "{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"ws_CO_1\"}}}",
            "{\"Body\":{\"stkCallback\":{\"CheckoutRequestID\":\"  \",\"ResultCode\":0}}}"
    })
    void unreadableBodyThrows(String body) {
        assertThatThrownBy(() -> StkCallbackParser.parse(body))
                .isInstanceOf(UnreadableResultException.class);
    }

    @Test
    void missingCheckoutRequestIdThrows() {
        String body = Fixtures.read("callback-missing-checkout-request-id.json");

        assertThatThrownBy(() -> StkCallbackParser.parse(body))
                .isInstanceOf(UnreadableResultException.class)
                .hasMessageContaining("CheckoutRequestID");
    }

    @Test
    void nonJsonBodyKeepsCause() {
        assertThatThrownBy(() -> StkCallbackParser.parse("Body=stkCallback"))
                .isInstanceOf(UnreadableResultException.class)
                .hasMessageContaining("not JSON")
                .hasCauseInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
    }
}
