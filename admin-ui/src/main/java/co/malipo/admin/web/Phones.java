package co.malipo.admin.web;

import java.util.regex.Pattern;

/** Masks customers' phone numbers for users who may not see them. */
public final class Phones {

    /**
     * Stored phones ({@code 2547XXXXXXXX}, {@code 2541XXXXXXXX}) wherever they appear in text such as
     * raw payloads, also at the end of a longer digit run: the simulator's CheckoutRequestIDs end with the phone.
     */
    private static final Pattern STORED_PHONE = Pattern.compile("(254[0-9])[0-9]{5}([0-9]{3})(?![0-9])");

    private Phones() {
    }

    /** Masks five middle digits: {@code 254712345678} becomes {@code 2547*****678}. */
    public static String mask(String phone) {
        if (phone == null) {
            return null;
        }
        return STORED_PHONE.matcher(phone).replaceAll("$1*****$2");
    }

    /** Masks when {@code masked} is true, else returns the text unchanged. */
    public static String maskIf(boolean masked, String text) {
        return masked ? mask(text) : text;
    }
}
