package co.malipo.core.support;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Set;

/** Tells a failure caused by an unreachable database apart from a failing statement or a bug. */
public final class DatabaseErrors {

    /**
     * SQLSTATE codes of PostgreSQL that mean the server is unreachable, shutting down or refusing connections: class
     * 08 (connection exception) is matched by prefix, and these are the others.
     */
    private static final Set<String> UNAVAILABLE_STATES = Set.of(
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now
            "53300"); // too_many_connections

    private DatabaseErrors() {
    }

    /**
     * Returns whether {@code error} or one of its causes shows that the database could not be reached: a connection
     * SQLSTATE, a refused connection, or a connection pool that timed out waiting for a connection.
     */
    public static boolean isUnavailable(Throwable error) {
        return isUnavailable(error, 0);
    }

    /**
     * Follows causes and suppressed exceptions, because a failed commit reports the broken connection as an
     * exception suppressed by the transaction manager's RollbackException.
     */
    private static boolean isUnavailable(Throwable error, int depth) {
        if (error == null || depth > 20) {
            return false;
        }
        if (error instanceof ConnectException || error instanceof SQLTransientConnectionException) {
            return true;
        }
        if (error instanceof SQLException sql && isUnavailableState(sql.getSQLState())) {
            return true;
        }
        if (error instanceof SQLException sql && sql.getSQLState() == null && sql.getMessage() != null
                && sql.getMessage().toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
            // Agroal's pool gives no SQLSTATE when no connection came free or could be opened in time.
            return true;
        }
        for (Throwable suppressed : error.getSuppressed()) {
            if (isUnavailable(suppressed, depth + 1)) {
                return true;
            }
        }
        return error.getCause() != error && isUnavailable(error.getCause(), depth + 1);
    }

    private static boolean isUnavailableState(String state) {
        return state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state));
    }
}
