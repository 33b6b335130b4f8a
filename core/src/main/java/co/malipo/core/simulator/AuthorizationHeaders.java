package co.malipo.core.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** Parsing of the {@code Authorization} header for Daraja's Basic (OAuth) and Bearer (API) schemes. */
final class AuthorizationHeaders {

    private static final String BASIC = "Basic ";
    private static final String BEARER = "Bearer ";

    private AuthorizationHeaders() {
    }

    /**
     * Returns whether the header is {@code Basic base64(key:secret)} with the given key and secret. Returns false
     * when the header is missing or uses another scheme, or when the key or secret is null or empty.
     */
    static boolean hasClientCredentials(String header, String consumerKey, String consumerSecret) {
        if (isBlank(consumerKey) || isBlank(consumerSecret) || !hasScheme(header, BASIC)) {
            return false;
        }
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(header.substring(BASIC.length()).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = (consumerKey + ":" + consumerSecret).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, presented);
    }

    /** Returns the token of a {@code Bearer} header, or null when the header is missing or uses another scheme. */
    static String bearerToken(String header) {
        if (!hasScheme(header, BEARER)) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }

    /** Returns whether the header starts with the scheme, ignoring case as HTTP does for scheme names. */
    private static boolean hasScheme(String header, String scheme) {
        return header != null && header.regionMatches(true, 0, scheme, 0, scheme.length());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
