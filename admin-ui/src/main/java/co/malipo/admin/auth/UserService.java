package co.malipo.admin.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.admin.AdminConfig;
import co.malipo.admin.audit.AuditLog;
import co.malipo.core.invoice.ValidationException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/** Creates dashboard users, signs them in with lock-out after repeated failures, and resolves sessions. */
@ApplicationScoped
public class UserService {

    private static final Logger LOG = Logger.getLogger(UserService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Outcome of a sign-in: a session token on success, else empty. */
    public record SignIn(Optional<String> sessionToken, AdminUser user) {
    }

    private final UserRepository users;
    private final SessionRepository sessions;
    private final AuditLog audit;
    private final AdminConfig config;
    private final Clock clock;

    public UserService(UserRepository users, SessionRepository sessions, AuditLog audit, AdminConfig config,
            Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Validates and creates a user. Throws {@link ValidationException} naming each invalid field,
     * including a user name that is taken.
     */
    public AdminUser create(String username, String role, String password, String actor, String clientIp) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String name = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        if (!name.matches("[a-z0-9._-]{3,64}")) {
            errors.put("username", List.of("Use 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'."));
        }
        Role parsedRole = null;
        try {
            parsedRole = Role.valueOf(role == null ? "" : role);
        } catch (IllegalArgumentException e) {
            errors.put("role", List.of("Choose one of ADMIN, FINANCE or SUPPORT."));
        }
        String passwordProblem = Passwords.problem(password);
        if (passwordProblem != null) {
            errors.put("password", List.of(passwordProblem));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        String hash = Passwords.hash(password);
        Role finalRole = parsedRole;
        Optional<AdminUser> created = QuarkusTransaction.requiringNew().call(() -> {
            Optional<AdminUser> inserted = users.insert(name, hash, finalRole, clock.instant());
            inserted.ifPresent(user -> audit.record(actor, "USER_CREATED", "admin_user", user.username(), clientIp,
                    null, Map.of("username", user.username(), "role", user.role().name()), null));
            return inserted;
        });
        if (created.isEmpty()) {
            throw new ValidationException(Map.of("username", List.of("The user name " + name + " is taken.")));
        }
        LOG.infof("User %s created dashboard user %s with role %s", actor, name, finalRole);
        return created.get();
    }

    /** Creates the first admin from the configuration when no user exists yet. Returns whether it did. */
    public boolean bootstrapAdmin(String username, String password) {
        if (QuarkusTransaction.requiringNew().call(users::anyExists)) {
            return false;
        }
        create(username, Role.ADMIN.name(), password, "bootstrap", null);
        return true;
    }

    /**
     * Checks a user name and password. A wrong password counts a failure, and
     * {@code malipo.admin.max-failed-logins} of them in a row lock the user for
     * {@code malipo.admin.lockout}, during which even the right password fails. Unknown user
     * names take as long as known ones.
     */
    public SignIn signIn(String username, String password, String clientIp) {
        String name = username == null ? "" : username.trim().toLowerCase(Locale.ROOT);
        String given = password == null ? "" : password;
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            Optional<UserRepository.Credentials> found = users.lockCredentials(name);
            if (found.isEmpty()) {
                Passwords.matchDummy(given);
                audit.record(name, "LOGIN_FAILED", "admin_user", name, clientIp, null, null, "unknown user name");
                return new SignIn(Optional.empty(), null);
            }
            AdminUser user = found.get().user();
            boolean matches = Passwords.matches(given, found.get().passwordHash());
            if (user.disabledAt() != null || user.isLocked(now)) {
                audit.record(name, "LOGIN_FAILED", "admin_user", name, clientIp, null, null,
                        user.disabledAt() != null ? "user is disabled" : "user is locked until " + user.lockedUntil());
                return new SignIn(Optional.empty(), user);
            }
            if (!matches) {
                users.recordFailure(user.id(), config.maxFailedLogins(), now.plus(config.lockout()));
                boolean locks = user.failedLogins() + 1 >= config.maxFailedLogins();
                audit.record(name, "LOGIN_FAILED", "admin_user", name, clientIp,
                        Map.of("failed_logins", user.failedLogins()), Map.of("failed_logins", user.failedLogins() + 1),
                        locks ? "wrong password; user locked" : "wrong password");
                if (locks) {
                    LOG.warnf("Dashboard user %s is locked after %d failed sign-ins from %s", name,
                            user.failedLogins() + 1, clientIp);
                }
                return new SignIn(Optional.empty(), user);
            }
            users.recordSuccess(user.id(), now);
            String token = newToken();
            sessions.insert(hashToken(token), user.id(), now, now.plus(config.maxSessionAge()), clientIp);
            audit.record(name, "LOGIN", "admin_user", name, clientIp, null, null, null);
            return new SignIn(Optional.of(token), user);
        });
    }

    /** Returns the user of a live session token and extends its idle time. */
    public Optional<AdminUser> resolveSession(String token) {
        Instant now = clock.instant();
        return QuarkusTransaction.requiringNew().call(
                () -> sessions.touch(hashToken(token), now, now.minus(config.idleTimeout())));
    }

    /** Ends a session and records the sign-out. */
    public void signOut(String token, String username, String clientIp) {
        QuarkusTransaction.requiringNew().run(() -> {
            sessions.delete(hashToken(token));
            audit.record(username, "LOGOUT", "admin_user", username, clientIp, null, null, null);
        });
    }

    /** Clears a user's failure count and lock. */
    public boolean unlock(long userId, String actor, String clientIp) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<AdminUser> user = users.find(userId);
            if (user.isEmpty()) {
                return false;
            }
            users.unlock(userId);
            audit.record(actor, "USER_UNLOCKED", "admin_user", user.get().username(), clientIp,
                    Map.of("failed_logins", user.get().failedLogins(), "locked_until",
                            String.valueOf(user.get().lockedUntil())),
                    Map.of("failed_logins", 0), null);
            return true;
        });
    }

    public List<AdminUser> list() {
        return users.list();
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hashToken(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
