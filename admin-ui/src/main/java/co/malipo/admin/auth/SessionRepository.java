package co.malipo.admin.auth;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/** Rows of {@code admin_sessions}, looked up by the SHA-256 of the cookie's token. */
@ApplicationScoped
public class SessionRepository {

    private final Db db;

    public SessionRepository(Db db) {
        this.db = db;
    }

    public void insert(String tokenHash, long userId, Instant now, Instant expiresAt, String clientIp) {
        db.update("INSERT INTO admin_sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client_ip)"
                + " VALUES (?, ?, ?, ?, ?, ?)", tokenHash, userId, now, now, expiresAt, clientIp);
    }

    /**
     * Returns the user of a live session and marks it seen now. A session is live before its
     * expiry and when it was seen after {@code idleSince}; the user must not be disabled.
     */
    public Optional<AdminUser> touch(String tokenHash, Instant now, Instant idleSince) {
        return db.one("""
                WITH live AS (
                    UPDATE admin_sessions SET last_seen_at = ?
                    WHERE token_hash = ? AND expires_at > ? AND last_seen_at > ?
                    RETURNING user_id)
                SELECT u.* FROM live JOIN admin_users u ON u.id = live.user_id WHERE u.disabled_at IS NULL
                """, UserRepository::map, now, tokenHash, now, idleSince);
    }

    public void delete(String tokenHash) {
        db.update("DELETE FROM admin_sessions WHERE token_hash = ?", tokenHash);
    }

    /** Deletes sessions that can no longer be used. */
    public int deleteExpired(Instant now, Instant idleSince) {
        return db.update("DELETE FROM admin_sessions WHERE expires_at <= ? OR last_seen_at <= ?", now, idleSince);
    }
}
