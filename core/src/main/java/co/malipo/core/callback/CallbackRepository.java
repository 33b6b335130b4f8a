package co.malipo.core.callback;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/** Raw Daraja callbacks as received, and what became of each. */
@ApplicationScoped
public class CallbackRepository {

    /** A stored callback still to be applied, and how many retries it has had. */
    public record Stored(long id, String token, String body, int attempts) {
    }

    private final Db db;

    public CallbackRepository(Db db) {
        this.db = db;
    }

    public long store(String token, String body, Instant now) {
        return db.one("INSERT INTO daraja_callbacks (token, received_at, body, outcome) VALUES (?, ?, ?, 'RECEIVED')"
                + " RETURNING id", row -> row.getLong(1), token, now, body).orElseThrow();
    }

    public void markOutcome(long id, String outcome, String invoiceId, String checkoutRequestId, String resultCode,
            Instant now) {
        db.update("UPDATE daraja_callbacks SET outcome = ?, invoice_id = ?, checkout_request_id = ?, result_code = ?,"
                + " applied_at = ? WHERE id = ?", outcome, invoiceId, checkoutRequestId, resultCode, now, id);
    }

    /**
     * Claims stored callbacks whose retry is due, skipping rows another instance has locked, and
     * sets each one's next retry {@code retryStep} times its number of tries later, so a callback
     * that keeps failing moves out of the way of newer ones.
     */
    public List<Stored> claimRetries(Instant receivedBefore, Instant now, java.time.Duration retryStep, int limit) {
        return db.list("""
                UPDATE daraja_callbacks SET apply_attempts = apply_attempts + 1,
                    next_apply_at = CAST(? AS timestamptz)
                        + make_interval(secs => CAST(? AS double precision) * (apply_attempts + 1))
                WHERE id IN (
                    SELECT id FROM daraja_callbacks
                    WHERE outcome = 'RECEIVED' AND received_at < ? AND COALESCE(next_apply_at, received_at) <= ?
                    ORDER BY COALESCE(next_apply_at, received_at) LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING id, token, body, apply_attempts
                """, row -> new Stored(row.getLong(1), row.getString(2), row.getString(3), row.getInt(4)),
                now, (double) retryStep.toSeconds(), receivedBefore, now, limit);
    }

    /** Marks a stored callback given up after too many failed retries. */
    public void giveUp(long id, Instant now) {
        db.update("UPDATE daraja_callbacks SET outcome = 'GAVE_UP', applied_at = ? WHERE id = ? AND outcome = 'RECEIVED'",
                now, id);
    }

    public int countForToken(String token) {
        return db.one("SELECT count(*) FROM daraja_callbacks WHERE token = ?", row -> row.getInt(1), token).orElse(0);
    }
}
