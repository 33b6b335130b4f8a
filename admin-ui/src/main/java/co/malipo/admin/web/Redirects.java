package co.malipo.admin.web;

/** Checks the {@code back} target of a form, so a form cannot redirect a user to another site. */
public final class Redirects {

    private Redirects() {
    }

    /** Returns {@code target} when it is a path on this site, else {@code fallback}. */
    public static String localOr(String target, String fallback) {
        if (target == null || !target.startsWith("/") || target.startsWith("//") || target.contains("\\")
                || target.chars().anyMatch(Character::isISOControl)) {
            return fallback;
        }
        return target;
    }
}
