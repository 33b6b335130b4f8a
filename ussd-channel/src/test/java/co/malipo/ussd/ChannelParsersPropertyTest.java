package co.malipo.ussd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the channel's input parsing, run by the jqwik engine. */
class ChannelParsersPropertyTest {

    @Property(tries = 3000)
    void anyPhoneNumberFieldNormalisesOrIsEmpty(@ForAll("phoneLike") String phoneNumber) {
        Optional<String> phone = UssdResource.normalisePhone(phoneNumber);

        phone.ifPresent(normal -> assertThat(normal).matches("254[17][0-9]{8}"));
    }

    @Property(tries = 1000)
    void kenyanMobilesInEveryFormNormalise(@ForAll("subscribers") String subscriber) {
        for (String form : new String[] {"0" + subscriber, "254" + subscriber, "+254" + subscriber, " 254" + subscriber,
                "00254" + subscriber}) {
            assertThat(UssdResource.normalisePhone(form)).as(form).contains("254" + subscriber);
        }
    }

    @Property(tries = 2000)
    void echoedInputIsShortAndPrintable(@ForAll String input) {
        String echoed = UssdText.echo(input);

        assertThat(echoed.length()).isLessThanOrEqualTo(40);
        assertThat(echoed).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u0000");
    }

    @Provide
    Arbitrary<String> phoneLike() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withChars("0123456789+ -()").ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> subscribers() {
        // 070, 071 and 072 are Safaricom ranges that libphonenumber lists as assigned mobile numbers.
        return Arbitraries.strings().numeric().ofLength(7)
                .flatMap(rest -> Arbitraries.of("70", "71", "72").map(prefix -> prefix + rest));
    }
}
