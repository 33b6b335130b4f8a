package co.malipo.core.invoice;

import java.util.Optional;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * Kenyan mobile numbers, normalised to {@code 2547XXXXXXXX} or {@code 2541XXXXXXXX}. Parsing and
 * validity come from libphonenumber. Numbers move between networks, so a non-Safaricom prefix is
 * not rejected here and Daraja stays the authority on M-Pesa registration.
 */
public final class PhoneNumbers {

    private static final java.util.regex.Pattern PHONE_IN_TEXT = java.util.regex.Pattern.compile("254[17][0-9]{8}");

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Digits with an optional leading plus and spaces or hyphens between them; no letters or control characters. */
    private static final Pattern ALLOWED = Pattern.compile(" *\\+?[0-9][0-9 \\-]* *");
    private static final Pattern KENYAN_MOBILE = Pattern.compile("254[17][0-9]{8}");

    private PhoneNumbers() {
    }

    /**
     * Normalises {@code 07..}, {@code 01..}, {@code 7..}, {@code 1..}, {@code 254..}, {@code +254..},
     * {@code +2540..} and {@code 00254..}, with spaces or hyphens. Returns empty for anything else.
     */
    public static Optional<String> normalise(String input) {
        if (input == null) {
            return Optional.empty();
        }
        // libphonenumber reads letters as keypad digits, so they are rejected before parsing.
        if (input.length() > 40 || !ALLOWED.matcher(input).matches()) {
            return Optional.empty();
        }
        String digits = input.replaceAll("[^0-9]", "");
        String national = nationalSignificantNumber(digits);
        if (national == null) {
            return Optional.empty();
        }
        try {
            PhoneNumber parsed = UTIL.parse("+254" + national, "KE");
            if (!UTIL.isValidNumberForRegion(parsed, "KE")) {
                return Optional.empty();
            }
            PhoneNumberUtil.PhoneNumberType type = UTIL.getNumberType(parsed);
            if (type != PhoneNumberUtil.PhoneNumberType.MOBILE
                    && type != PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE) {
                return Optional.empty();
            }
            String canonical = "254" + UTIL.getNationalSignificantNumber(parsed);
            return KENYAN_MOBILE.matcher(canonical).matches() ? Optional.of(canonical) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Strips the country code or trunk prefix and returns the nine-digit national number, or null. */
    private static String nationalSignificantNumber(String digits) {
        String rest = digits;
        if (rest.startsWith("00254")) {
            rest = rest.substring(5);
        } else if (rest.startsWith("254") && rest.length() >= 12) {
            rest = rest.substring(3);
        }
        if (rest.length() == 10 && rest.startsWith("0")) {
            rest = rest.substring(1);
        }
        return rest.length() == 9 ? rest : null;
    }

    /**
     * Masks every Kenyan mobile number written as {@code 2547...} or {@code 2541...} inside a text
     * for logs, such as the number at the end of a Daraja CheckoutRequestID.
     */
    public static String maskWithin(String text) {
        if (text == null) {
            return null;
        }
        return PHONE_IN_TEXT.matcher(text).replaceAll(match -> mask(match.group()));
    }

    /** Masks a phone for logs: {@code 2547****5678}. */
    public static String mask(String phone) {
        if (phone == null || phone.length() < 8) {
            return "****";
        }
        return phone.substring(0, 4) + "****" + phone.substring(phone.length() - 4);
    }
}
