package co.malipo.admin.auth;

import io.quarkus.elytron.security.common.BcryptUtil;

/** bcrypt hashing of dashboard passwords (WildFly Elytron through Quarkus's {@link BcryptUtil}). */
public final class Passwords {

    /** bcrypt cost: 2^12 rounds, about a quarter of a second per check on a current server core (an estimate). */
    static final int COST = 12;
    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 72;

    /** A hash of a random password, checked against when the user name is unknown so both cases take as long. */
    private static final String DUMMY_HASH = BcryptUtil.bcryptHash("no user has this password " + System.nanoTime(),
            COST);

    private Passwords() {
    }

    public static String hash(String password) {
        return BcryptUtil.bcryptHash(password, COST);
    }

    public static boolean matches(String password, String hash) {
        return BcryptUtil.matches(password, hash);
    }

    /** Spends the time of one check, for unknown user names. */
    static void matchDummy(String password) {
        BcryptUtil.matches(password, DUMMY_HASH);
    }

    /** Returns the problem with a new password, or null when it is acceptable. */
    public static String problem(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "The password must have at least " + MIN_LENGTH + " characters.";
        }
        // bcrypt reads only the first 72 bytes, so longer passwords would be silently cut.
        if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_LENGTH) {
            return "The password must have at most " + MAX_LENGTH + " bytes.";
        }
        return null;
    }
}
