package co.malipo.core.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import co.malipo.core.support.Ids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DarajaTextTest {

    private static final String INVOICE_ID = "7K3M9QW2XZ";

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "INV-2024/0001       | INV20240001",
            "ORDER-123456789012  | ORDER1234567",
            "abcdefghijkl        | abcdefghijkl",
            "abcdefghijklm       | abcdefghijkl",
            "Café № 5            | Caf5",
            "'  order 42  '      | order42",
            "!!!                 | 7K3M9QW2XZ",
            "''                  | 7K3M9QW2XZ",
            "NULL                | 7K3M9QW2XZ",
            "ÄÖÜ                 | 7K3M9QW2XZ"
    })
    void accountReferenceCleaned(String apiRef, String expected) {
        assertThat(DarajaText.accountReference(apiRef, INVOICE_ID)).isEqualTo(expected);
    }

    /** Random references of letters, digits, punctuation and non-ASCII characters. */
    @Test
    void accountReferenceAlwaysShortAlphanumeric() {
        String alphabet = "abcXYZ0189 -_/!@#.,éßŁ€漢字😀\t";
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder apiRef = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                apiRef.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            String reference = DarajaText.accountReference(apiRef.toString(), Ids.invoiceId());

            assertThat(reference).as("from [%s]", apiRef).isNotEmpty();
            assertThat(reference.length()).as("from [%s]", apiRef).isLessThanOrEqualTo(12);
            assertThat(reference).as("from [%s]", apiRef).matches("[A-Za-z0-9]+");
        }
    }

    @Test
    void transactionDescIsThirteenCharacters() {
        assertThat(DarajaText.transactionDesc(INVOICE_ID)).isEqualTo("Pay7K3M9QW2XZ");
        for (int i = 0; i < 1_000; i++) {
            String description = DarajaText.transactionDesc(Ids.invoiceId());

            assertThat(description).hasSize(13);
            assertThat(description).matches("Pay[A-Z0-9]{10}");
        }
    }
}
