package co.malipo.core.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

class DatabaseErrorsTest {

    @Test
    void connectionStatesAreUnavailable() {
        assertThat(DatabaseErrors.isUnavailable(new SQLException("refused", "08001"))).isTrue();
        assertThat(DatabaseErrors.isUnavailable(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(DatabaseErrors.isUnavailable(new SQLException("terminating", "57P01"))).isTrue();
        assertThat(DatabaseErrors.isUnavailable(new SQLException("starting up", "57P03"))).isTrue();
    }

    @Test
    void wrappedCausesAreFound() {
        SQLException refused = new SQLException("refused", "08001", new ConnectException("Connection refused"));
        RuntimeException wrapped = new IllegalStateException("commit failed",
                new Db.DataAccessException("SELECT 1", refused));

        assertThat(DatabaseErrors.isUnavailable(wrapped)).isTrue();
        assertThat(DatabaseErrors.isUnavailable(new RuntimeException(new ConnectException("refused")))).isTrue();
    }

    @Test
    void poolTimeoutIsUnavailable() {
        assertThat(DatabaseErrors.isUnavailable(new SQLException("Sorry, acquisition timeout!"))).isTrue();
    }

    @Test
    void suppressedConnectionErrorIsFound() {
        RuntimeException rollback = new IllegalStateException("Could not commit transaction.");
        Exception xa = new Exception("Error trying to transactionCommit local transaction",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        rollback.addSuppressed(xa);

        assertThat(DatabaseErrors.isUnavailable(new RuntimeException(rollback))).isTrue();
    }

    @Test
    void statementErrorsAreNotUnavailable() {
        assertThat(DatabaseErrors.isUnavailable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseErrors.isUnavailable(new SQLException("syntax", "42601"))).isFalse();
        assertThat(DatabaseErrors.isUnavailable(new SQLException("no state"))).isFalse();
        assertThat(DatabaseErrors.isUnavailable(new IllegalStateException("bug"))).isFalse();
    }
}
