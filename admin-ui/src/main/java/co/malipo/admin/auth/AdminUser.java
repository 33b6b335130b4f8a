package co.malipo.admin.auth;

import java.time.Instant;

/** A dashboard user as stored in {@code admin_users}, without the password hash. */
public record AdminUser(long id, String username, Role role, int failedLogins, Instant lockedUntil,
        Instant disabledAt, Instant createdAt, Instant lastLoginAt) {

    public boolean isLocked(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }
}
