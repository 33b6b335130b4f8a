package co.malipo.core.callback;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/** Raw Daraja callbacks as received, and what became of each. */
@ApplicationScoped
public class CallbackRepository {

    /** A stored callback still to be applied. */
    public record Stored(long id, String token, String body) {
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

    /** Callbacks stored but never applied, for example because the instance stopped in between. */
    public List<Stored> findUnapplied(Instant receivedBefore, int limit) {
        return db.list("SELECT id, token, body FROM daraja_callbacks WHERE outcome = 'RECEIVED' AND received_at < ?"
                + " ORDER BY received_at LIMIT ?", row -> new Stored(row.getLong(1), row.getString(2), row.getString(3)),
                receivedBefore, limit);
    }

    public int countForToken(String token) {
        return db.one("SELECT count(*) FROM daraja_callbacks WHERE token = ?", row -> row.getInt(1), token).orElse(0);
    }
}
