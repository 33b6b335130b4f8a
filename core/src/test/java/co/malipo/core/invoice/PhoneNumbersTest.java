package co.malipo.core.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "0700000010       | 254700000010",
            "+254700000010    | 254700000010",
            "254700000010     | 254700000010",
            "254 700 000 010  | 254700000010",
            "0110000010       | 254110000010",
            "+254110000010    | 254110000010",
            "700000010        | 254700000010",
            "110000010        | 254110000010",
            "00254700000010   | 254700000010",
            "+2540700000010   | 254700000010",
            "0712-345-678     | 254712345678",
            "'  0712345678  ' | 254712345678"
    })
    void normaliseAccepts(String input, String expected) {
        assertThat(PhoneNumbers.normalise(input)).contains(expected);
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
            "25470000001",
            "+255700000010",
            "07000000101",
            "abc",
            "",
            "   ",
            "071234567a",
            "0712 345 67",
            "0712.345.678",
            "(0712) 345678",
            "++254712345678",
            "0202345678",
            "254202345678"
    })
    void normaliseRejects(String input) {
        assertThat(PhoneNumbers.normalise(input)).isEmpty();
    }

    @Test
    void normaliseRejectsNull() {
        assertThat(PhoneNumbers.normalise(null)).isEmpty();
    }

    @Test
    void normaliseRejectsThousandDigits() {
        String digits = "0712345678".repeat(100);
        assertThat(digits).hasSize(1000);

        assertThat(PhoneNumbers.normalise(digits)).isEmpty();
    }

    @Test
    void maskKeepsEnds() {
        assertThat(PhoneNumbers.mask("254712345678")).isEqualTo("2547****5678");
    }

    @Test
    void maskOfShortValue() {
        assertThat(PhoneNumbers.mask(null)).isEqualTo("****");
        assertThat(PhoneNumbers.mask("2547123")).isEqualTo("****");
    }
}
