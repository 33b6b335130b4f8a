package co.malipo.core.merchant;

/** A stored key: whose it is, for which environment, and whether it is secret or public. */
public record ApiKey(String merchantId, Environment environment, Kind kind, boolean revoked) {

    public enum Kind {
        SECRET,
        PUBLIC
    }
}
