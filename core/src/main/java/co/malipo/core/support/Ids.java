package co.malipo.core.support;

import java.security.SecureRandom;

/** Random identifiers in the formats the merchant API shows. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private Ids() {
    }

    /** Ten characters of upper-case Crockford base32, as invoice ids are. */
    public static String invoiceId() {
        return random(CROCKFORD, 10);
    }

    /** {@code wlt_} and ten base32 characters. */
    public static String walletId() {
        return "wlt_" + random(CROCKFORD, 10);
    }

    /** Creates a webhook endpoint id: {@code whk_} and ten base32 characters. */
    public static String webhookEndpointId() {
        return "whk_" + random(CROCKFORD, 10);
    }

    /** {@code CUS_} and ten base32 characters. */
    public static String customerId() {
        return "CUS_" + random(CROCKFORD, 10);
    }

    /** Thirty-two base62 characters, the random part of an API key. */
    public static String keyBody() {
        return random(BASE62, 32);
    }

    /** Creates an unguessable URL-safe token of 32 base62 characters (about 190 bits). */
    public static String token() {
        return random(BASE62, 32);
    }

    /** Ten upper-case letters and digits, the shape of an M-Pesa receipt. */
    public static String receipt() {
        return random(UPPER_ALNUM, 10);
    }

    public static String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
