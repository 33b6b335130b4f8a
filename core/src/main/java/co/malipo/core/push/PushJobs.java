package co.malipo.core.push;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/**
 * The push queue. A claim marks a job ATTEMPTED before its request goes out, so a job is sent at
 * most once; only a push that provably never left ({@link #requeue}) goes back to QUEUED.
 */
@ApplicationScoped
public class PushJobs {

    /** A claimed job and when its first try began. */
    public record Claim(String invoiceId, Instant firstTryAt) {
    }

    private final Db db;

    public PushJobs(Db db) {
        this.db = db;
    }

    public void enqueue(String invoiceId, Instant now) {
        db.update("INSERT INTO push_jobs (invoice_id, status, available_at, created_at) VALUES (?, 'QUEUED', ?, ?)",
                invoiceId, now, now);
    }

    /** Claims up to {@code limit} due jobs; rows another instance holds are skipped, not waited for. */
    public List<Claim> claim(int limit, Instant now, Duration lease) {
        return db.list("""
                UPDATE push_jobs SET status = 'ATTEMPTED', lease_until = ?, send_tries = send_tries + 1,
                    first_try_at = COALESCE(first_try_at, ?)
                WHERE invoice_id IN (
                    SELECT invoice_id FROM push_jobs WHERE status = 'QUEUED' AND available_at <= ?
                    ORDER BY available_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING invoice_id, first_try_at
                """, row -> new Claim(row.getString(1), Db.instant(row, "first_try_at")),
                now.plus(lease), now, now, limit);
    }

    public void markDone(String invoiceId) {
        db.update("UPDATE push_jobs SET status = 'DONE', lease_until = NULL WHERE invoice_id = ?", invoiceId);
    }

    /** Puts back a job whose request never left, to be tried again at {@code availableAt}. */
    public void requeue(String invoiceId, Instant availableAt) {
        db.update("UPDATE push_jobs SET status = 'QUEUED', lease_until = NULL, available_at = ? WHERE invoice_id = ?"
                + " AND status = 'ATTEMPTED'", availableAt, invoiceId);
    }

    /** Closes attempted jobs whose lease ran out (their worker died) and returns their invoice ids. */
    public List<String> expireLeases(Instant now) {
        return db.list("""
                UPDATE push_jobs SET status = 'DONE', lease_until = NULL
                WHERE invoice_id IN (
                    SELECT invoice_id FROM push_jobs WHERE status = 'ATTEMPTED' AND lease_until < ?
                    FOR UPDATE SKIP LOCKED)
                RETURNING invoice_id
                """, row -> row.getString(1), now);
    }
}
