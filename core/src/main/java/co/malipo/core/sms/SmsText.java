package co.malipo.core.sms;

import java.text.Normalizer;
import java.util.Map;

/**
 * Normalisation of message text to the GSM 03.38 7-bit alphabet, so that a message is sent as
 * GSM-7, with 160 characters in one message, instead of UCS-2 with 70.
 */
public final class SmsText {

    /** Septets in one message that is not split into parts. */
    public static final int SINGLE_MESSAGE_SEPTETS = 160;

    /** The GSM 03.38 basic character set, without the escape character. */
    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /** The extension table, whose characters take two septets (escape and code). */
    private static final String EXTENSION = "^{}\\[~]|€\f";

    private static final Map<Character, String> REPLACEMENTS = Map.ofEntries(
            Map.entry('\u2018', "'"), Map.entry('\u2019', "'"), Map.entry('\u201A', "'"), Map.entry('\u201B', "'"),
            Map.entry('\u2032', "'"), Map.entry('\u00B4', "'"), Map.entry('`', "'"),
            Map.entry('\u201C', "\""), Map.entry('\u201D', "\""), Map.entry('\u201E', "\""), Map.entry('\u2033', "\""),
            Map.entry('\u00AB', "\""), Map.entry('\u00BB', "\""),
            Map.entry('\u2010', "-"), Map.entry('\u2011', "-"), Map.entry('\u2012', "-"), Map.entry('\u2013', "-"),
            Map.entry('\u2014', "-"), Map.entry('\u2015', "-"), Map.entry('\u2212', "-"),
            Map.entry('\u2026', "..."), Map.entry('\u00A0', " "), Map.entry('\u2007', " "), Map.entry('\u202F', " "),
            Map.entry('\t', " "), Map.entry('\u2022', "-"), Map.entry('\u00D7', "x"),
            Map.entry('\u0153', "oe"), Map.entry('\u0152', "OE"), Map.entry('\u00F0', "d"), Map.entry('\u00D0', "D"),
            Map.entry('\u0142', "l"), Map.entry('\u0141', "L"), Map.entry('\u00FE', "th"), Map.entry('\u00DE', "Th"));

    private SmsText() {
    }

    /**
     * Returns the text in the GSM-7 alphabet. Curly quotes, dashes and ellipses become their ASCII
     * forms, accented letters outside the alphabet lose their accents (for example {@code ê} becomes
     * {@code e}), and characters that cannot be mapped, such as emoji, are dropped.
     */
    public static String normalise(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(codePoint -> appendMapped(out, codePoint));
        return out.toString();
    }

    private static void appendMapped(StringBuilder out, int codePoint) {
        if (Character.isBmpCodePoint(codePoint)) {
            char c = (char) codePoint;
            if (isGsm(c)) {
                out.append(c);
                return;
            }
            String replacement = REPLACEMENTS.get(c);
            if (replacement != null) {
                out.append(replacement);
                return;
            }
        }
        String decomposed = Normalizer.normalize(new String(Character.toChars(codePoint)), Normalizer.Form.NFD);
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (isGsm(c)) {
                out.append(c);
            }
        }
    }

    private static boolean isGsm(char c) {
        return BASIC.indexOf(c) >= 0 || EXTENSION.indexOf(c) >= 0;
    }

    /** Returns the septets that GSM-7 text takes: two for each extension-table character, one for the rest. */
    public static int septets(String gsmText) {
        int count = 0;
        for (int i = 0; i < gsmText.length(); i++) {
            count += EXTENSION.indexOf(gsmText.charAt(i)) >= 0 ? 2 : 1;
        }
        return count;
    }

    /**
     * Normalises the text and cuts it to one message of 160 septets, ending a cut text with
     * {@code ...}. Text that already fits is returned whole.
     */
    public static String toSingleMessage(String text) {
        String gsm = normalise(text).strip();
        if (septets(gsm) <= SINGLE_MESSAGE_SEPTETS) {
            return gsm;
        }
        int budget = SINGLE_MESSAGE_SEPTETS - 3;
        StringBuilder cut = new StringBuilder();
        int used = 0;
        for (int i = 0; i < gsm.length(); i++) {
            char c = gsm.charAt(i);
            int cost = EXTENSION.indexOf(c) >= 0 ? 2 : 1;
            if (used + cost > budget) {
                break;
            }
            cut.append(c);
            used += cost;
        }
        return cut.toString().stripTrailing() + "...";
    }
}
