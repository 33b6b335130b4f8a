package co.malipo.core.merchant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import co.malipo.core.support.Ids;

/** Key formats: {@code ISSecretKey_<env>_} or {@code ISPubKey_<env>_} followed by 32 base62 characters. */
public final class ApiKeys {

    public static final String SECRET_PREFIX = "ISSecretKey_";
    public static final String PUBLIC_PREFIX = "ISPubKey_";

    private ApiKeys() {
    }

    public static String newSecretKey(Environment environment) {
        return SECRET_PREFIX + environment.keySegment() + "_" + Ids.keyBody();
    }

    public static String newPublicKey(Environment environment) {
        return PUBLIC_PREFIX + environment.keySegment() + "_" + Ids.keyBody();
    }

    /** SHA-256 of the whole key as lower-case hex; the only form in which keys are stored. */
    public static String hash(String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Reads the environment a key's prefix names, if it has one of the known prefixes. */
    public static Optional<Environment> environmentOf(String key) {
        for (Environment environment : Environment.values()) {
            String segment = "_" + environment.keySegment() + "_";
            if (key.startsWith(SECRET_PREFIX + segment.substring(1)) || key.startsWith(PUBLIC_PREFIX + segment.substring(1))) {
                return Optional.of(environment);
            }
        }
        return Optional.empty();
    }

    /** Returns the first characters of a key, safe to show and log. */
    public static String displayPrefix(String key) {
        int keep = Math.min(key.length(), key.lastIndexOf('_') + 5);
        return key.substring(0, Math.max(keep, 0)) + "...";
    }
}
