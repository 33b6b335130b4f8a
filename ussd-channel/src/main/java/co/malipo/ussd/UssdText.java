package co.malipo.ussd;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Formatting shared by the USSD screens, each of which stays within 160 characters. */
final class UssdText {

    private static final java.util.regex.Pattern UNPRINTABLE =
            java.util.regex.Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}]");

    /** Maximum length of a business name or reference label on a screen, so that every screen fits. */
    static final int MAX_NAME_LENGTH = 30;

    private UssdText() {
    }

    /** Formats whole shillings with thousands separators, for example {@code KES 1,500}. */
    static String kes(BigDecimal amount) {
        return "KES " + shillings(amount);
    }

    /** Formats whole shillings with thousands separators and no currency, for example {@code 1,500}. */
    static String shillings(BigDecimal amount) {
        return String.format(Locale.ROOT, "%,d", amount.setScale(0, RoundingMode.CEILING).longValueExact());
    }

    /** Cuts a name to {@link #MAX_NAME_LENGTH} characters. */
    static String shorten(String name) {
        if (name.length() <= MAX_NAME_LENGTH) {
            return name;
        }
        return name.substring(0, MAX_NAME_LENGTH - 1).stripTrailing() + ".";
    }

    /**
     * Shortens customer input before it is echoed back in an error, and replaces control, format
     * and line-separator characters with {@code ?} so that the input cannot add lines to a reply.
     */
    static String echo(String input) {
        String shown = input.length() <= 10 ? input : input.substring(0, 10) + "...";
        return UNPRINTABLE.matcher(shown).replaceAll("?");
    }
}
