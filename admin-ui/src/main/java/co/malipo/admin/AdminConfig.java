package co.malipo.admin;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the dashboard, under the {@code malipo.admin.} prefix. */
@ConfigMapping(prefix = "malipo.admin")
public interface AdminConfig {

    /** User name of the first admin, created at start when no user exists. From {@code MALIPO_ADMIN_USERNAME}. */
    Optional<String> bootstrapUsername();

    /** Password of the first admin, at least 12 characters. From {@code MALIPO_ADMIN_PASSWORD}, never from a file. */
    Optional<String> bootstrapPassword();

    /** A session ends after this long without a request. Defaults to 30 minutes. */
    @WithDefault("30m")
    Duration idleTimeout();

    /** A session ends this long after sign-in, however active. Defaults to 12 hours. */
    @WithDefault("12h")
    Duration maxSessionAge();

    /** Whether the session cookie carries {@code Secure}, so browsers send it over https only. Defaults to true. */
    @WithDefault("true")
    boolean secureCookie();

    /** Consecutive failed sign-ins that lock a user. Defaults to 5. */
    @WithDefault("5")
    int maxFailedLogins();

    /** How long a locked user stays locked. Defaults to 15 minutes. */
    @WithDefault("15m")
    Duration lockout();

    /** Rows per page of the list pages. Defaults to 50. */
    @WithDefault("50")
    int pageSize();
}
