package co.malipo.admin.auth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/** Rows of {@code admin_users}. */
@ApplicationScoped
public class UserRepository {

    /** A user with the stored bcrypt hash, for checking a password. */
    public record Credentials(AdminUser user, String passwordHash) {
    }

    private final Db db;

    public UserRepository(Db db) {
        this.db = db;
    }

    /** Inserts a user; returns empty when the user name is taken. */
    public Optional<AdminUser> insert(String username, String passwordHash, Role role, Instant now) {
        return db.one("INSERT INTO admin_users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (username) DO NOTHING RETURNING *", UserRepository::map, username, passwordHash, role,
                now);
    }

    public boolean anyExists() {
        return db.one("SELECT EXISTS (SELECT 1 FROM admin_users)", row -> row.getBoolean(1)).orElse(false);
    }

    public Optional<AdminUser> find(long id) {
        return db.one("SELECT * FROM admin_users WHERE id = ?", UserRepository::map, id);
    }

    /** Reads a user with the password hash and locks the row, so concurrent sign-ins count failures one by one. */
    public Optional<Credentials> lockCredentials(String username) {
        return db.one("SELECT * FROM admin_users WHERE username = ? FOR UPDATE",
                row -> new Credentials(map(row), row.getString("password_hash")), username);
    }

    public List<AdminUser> list() {
        return db.list("SELECT * FROM admin_users ORDER BY username", UserRepository::map);
    }

    /** Counts a failed sign-in and locks the user until {@code lockUntil} when the count reaches {@code limit}. */
    public void recordFailure(long id, int limit, Instant lockUntil) {
        db.update("UPDATE admin_users SET failed_logins = failed_logins + 1,"
                + " locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END WHERE id = ?",
                limit, lockUntil, id);
    }

    public void recordSuccess(long id, Instant now) {
        db.update("UPDATE admin_users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?", now,
                id);
    }

    public int unlock(long id) {
        return db.update("UPDATE admin_users SET failed_logins = 0, locked_until = NULL WHERE id = ?", id);
    }

    static AdminUser map(ResultSet row) throws SQLException {
        return new AdminUser(row.getLong("id"), row.getString("username"), Role.valueOf(row.getString("role")),
                row.getInt("failed_logins"), Db.instant(row, "locked_until"), Db.instant(row, "disabled_at"),
                Db.instant(row, "created_at"), Db.instant(row, "last_login_at"));
    }
}
