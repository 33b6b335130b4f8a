package co.malipo.core.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PushValidator#parseAmount} on nodes read as the merchant API reads request bodies. */
class PushValidatorTest {

    /**
     * Configured like the API's body parser, so fractions arrive as exact decimals. Unlike that parser it
     * allows numbers longer than 40 characters, so that they reach parseAmount.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private static JsonNode node(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "\"100.00\" | 100.00",
            "\"10.01\"  | 10.01",
            "\"100\"    | 100",
            "\"0.5\"    | 0.5",
            "100        | 100",
            "99.5       | 99.5",
            "10.01      | 10.01",
            "0.01       | 0.01",
            "149999.99  | 149999.99"
    })
    void parseAmountAccepts(String json, BigDecimal expected) throws JsonProcessingException {
        assertThat(PushValidator.parseAmount(node(json))).isEqualByComparingTo(expected);
    }

    /** JSON numbers with trailing zeros, such as {@code 100.00}, are ordinary amounts. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "100.00  | 100",
            "100.0   | 100",
            "150.50  | 150.5",
            "1000.00 | 1000",
            "10.10   | 10.1"
    })
    void parseAmountAcceptsTrailingZeros(String json, BigDecimal expected) throws JsonProcessingException {
        assertThat(PushValidator.parseAmount(node(json))).isEqualByComparingTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "\"0\"",
            "\"0.00\"",
            "\"-5\"",
            "\"abc\"",
            "\"1e3\"",
            "\" 100\"",
            "\"100 \"",
            "\"100.001\"",
            "\"+100\"",
            "\"100,00\"",
            "\".5\"",
            "\"100.\"",
            "\"\"",
            "\"1000000000000000\"",
            "0",
            "0.00",
            "-5",
            "-0.01",
            "100.001",
            "1e400",
            "1e3",
            "1E2",
            "1E+400",
            "1e-400",
            "1000000000000000",
            "100000000000000000000000000000",
            "100.0000000000000000000000000000000000000001",
            "true",
            "null",
            "[100]",
            "{\"value\":100}"
    })
    void parseAmountRejects(String json) throws JsonProcessingException {
        assertThat(PushValidator.parseAmount(node(json))).isNull();
    }

    @Test
    void parseAmountRejectsPreciseString() throws JsonProcessingException {
        String precise = "\"100." + "0".repeat(200) + "1\"";

        assertThat(PushValidator.parseAmount(node(precise))).isNull();
    }
}
