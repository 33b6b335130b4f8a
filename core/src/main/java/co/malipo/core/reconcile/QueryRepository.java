package co.malipo.core.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/** The status-query schedule kept on each open invoice, and the claims that share it between instances. */
@ApplicationScoped
public class QueryRepository {

    /** An invoice whose query is due, claimed by this instance. */
    public record DueQuery(String invoiceId, String checkoutRequestId, String darajaAccount, int attempts,
            Instant acceptedAt) {
    }

    private final Db db;

    public QueryRepository(Db db) {
        this.db = db;
    }

    /** Claims open invoices whose query is due, skipping rows that another instance has locked. */
    public List<DueQuery> claimDue(Instant now, Duration lease, int limit) {
        return db.list("""
                UPDATE invoices SET query_lease_until = ?
                WHERE id IN (
                    SELECT id FROM invoices
                    WHERE state IN ('PENDING', 'PROCESSING') AND next_query_at IS NOT NULL AND next_query_at <= ?
                      AND checkout_request_id IS NOT NULL
                      AND (query_lease_until IS NULL OR query_lease_until < ?)
                    ORDER BY next_query_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING id, checkout_request_id, daraja_account, query_attempts, accepted_at
                """, row -> new DueQuery(row.getString(1), row.getString(2), row.getString(3), row.getInt(4),
                        Db.instant(row, "accepted_at")),
                now.plus(lease), now, now, limit);
    }

    /**
     * Claims one invoice for a query asked for by a status call: only when it is open, its last
     * evidence is older than {@code staleBefore}, and no query of it ran since {@code lastQueryBefore}.
     */
    public boolean claimForStatus(String invoiceId, Instant now, Instant staleBefore, Instant lastQueryBefore,
            Duration lease) {
        return db.update("""
                UPDATE invoices SET query_lease_until = ?, last_query_at = ?
                WHERE id = ? AND state IN ('PENDING', 'PROCESSING') AND checkout_request_id IS NOT NULL
                  AND COALESCE(last_evidence_at, created_at) < ?
                  AND (last_query_at IS NULL OR last_query_at < ?)
                  AND (query_lease_until IS NULL OR query_lease_until < ?)
                """, now.plus(lease), now, invoiceId, staleBefore, lastQueryBefore, now) == 1;
    }

    /** Records a query that settled nothing and sets the next one; a null {@code nextAt} stops querying. */
    public void reschedule(String invoiceId, Instant nextAt, Instant now) {
        db.update("""
                UPDATE invoices SET next_query_at = ?, query_attempts = query_attempts + 1, query_lease_until = NULL,
                    last_query_at = ?
                WHERE id = ?
                """, nextAt, now, invoiceId);
    }

    /** Releases the query claim of an invoice that a result settled. */
    public void finish(String invoiceId, Instant now) {
        db.update("UPDATE invoices SET next_query_at = NULL, query_lease_until = NULL, last_query_at = ?,"
                + " query_attempts = query_attempts + 1 WHERE id = ?", now, invoiceId);
    }

    /** Open invoices created before {@code cutoff} that were never listed as needing attention for it. */
    public List<String> findOpenTooLong(Instant cutoff, int limit) {
        return db.list("""
                SELECT i.id FROM invoices i
                WHERE i.state IN ('PENDING', 'PROCESSING') AND i.created_at < ?
                  AND NOT EXISTS (SELECT 1 FROM attention_items a WHERE a.subject_type = 'invoice' AND a.subject_id = i.id
                                  AND a.kind IN ('OPEN_TOO_LONG', 'OUTCOME_UNKNOWN'))
                ORDER BY i.created_at LIMIT ?
                """, row -> row.getString(1), cutoff, limit);
    }
}
