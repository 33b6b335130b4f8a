package co.malipo.core.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmsTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "‘Asante’ “sana”|'Asante' \"sana\"",
            "KES 100 – paid — thanks|KES 100 - paid - thanks",
            "Wait…|Wait...",
            "Crêpe naïve café|Crepe naive café",
            "Ñandú señor|Ñandu señor",
            "Zoë Łukasz|Zoe Lukasz",
            "Paid 🎉 ok|Paid  ok",
            "ref 中文 42|ref  42",
            "price €5 [a]|price €5 [a]",
    })
    void normaliseMapsToGsm(String input, String expected) {
        assertThat(SmsText.normalise(input)).isEqualTo(expected);
    }

    @Test
    void normaliseKeepsGsmAccents() {
        assertThat(SmsText.normalise("éèùìòÇØøÅåÄÖÑÜäöñüàßÉ")).isEqualTo("éèùìòÇØøÅåÄÖÑÜäöñüàßÉ");
    }

    @Test
    void septetsCountExtensionTwice() {
        assertThat(SmsText.septets("abc")).isEqualTo(3);
        assertThat(SmsText.septets("€{}")).isEqualTo(6);
    }

    @Test
    void singleMessageKeepsShortText() {
        assertThat(SmsText.toSingleMessage("  Paid KES 100.  ")).isEqualTo("Paid KES 100.");
    }

    @Test
    void singleMessageCutsLongText() {
        String cut = SmsText.toSingleMessage("x".repeat(200));
        assertThat(SmsText.septets(cut)).isEqualTo(160);
        assertThat(cut).endsWith("...");
    }

    @Test
    void singleMessageCountsExtensionCharacters() {
        String cut = SmsText.toSingleMessage("€".repeat(100));
        assertThat(SmsText.septets(cut)).isLessThanOrEqualTo(160);
        assertThat(cut).isEqualTo("€".repeat(78) + "...");
    }
}
