package co.malipo.core.push;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.invoice.PhoneNumbers;
import co.malipo.core.invoice.TimelineRepository;
import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;
import co.malipo.core.support.JsonText;
import org.jboss.logging.Logger;

/**
 * The push queue. A claim marks a job ATTEMPTED before its request goes out, so a job is sent at
 * most once; only a push that provably never left ({@link #requeue}) goes back to QUEUED. A claim
 * takes a job only together with its phone ({@link PhonePrompts}). A job whose phone another open
 * invoice holds stays QUEUED, untouched, until a later claim finds the phone free.
 */
@ApplicationScoped
public class PushJobs {

    private static final Logger LOG = Logger.getLogger(PushJobs.class);

    /** A claimed job and when its first try began. */
    public record Claim(String invoiceId, Instant firstTryAt) {
    }

    /** A due job whose phone was free, or held by the job's own invoice, when the claim read it. */
    private record Candidate(String invoiceId, Environment environment, String phone) {
    }

    private final Db db;
    private final PhonePrompts phones;
    private final TimelineRepository timeline;

    public PushJobs(Db db, PhonePrompts phones, TimelineRepository timeline) {
        this.db = db;
        this.phones = phones;
        this.timeline = timeline;
    }

    public void enqueue(String invoiceId, Instant now) {
        enqueue(invoiceId, now, now);
    }

    /** Queues a push that no claim takes before {@code availableAt}. */
    public void enqueue(String invoiceId, Instant now, Instant availableAt) {
        db.update("INSERT INTO push_jobs (invoice_id, status, available_at, created_at) VALUES (?, 'QUEUED', ?, ?)",
                invoiceId, availableAt, now);
    }

    /**
     * Claims up to {@code limit} due jobs, at most one per phone, each holding its phone for
     * {@code holdWindow}. Rows another instance has locked are skipped, not waited for. Jobs found
     * waiting for another invoice's prompt for the first time get a PUSH_HELD timeline entry.
     * Call in one transaction.
     */
    public List<Claim> claim(int limit, Instant now, Duration lease, Duration holdWindow) {
        List<Claim> claims = new ArrayList<>();
        for (List<Candidate> samePhone : byPhone(lockDueCandidates(limit, now))) {
            for (Candidate candidate : samePhone) {
                if (phones.take(candidate.environment(), candidate.phone(), candidate.invoiceId(), holdWindow)) {
                    claims.add(markAttempted(candidate.invoiceId(), now, lease));
                    break;
                }
            }
        }
        recordNewHolds(now);
        return claims;
    }

    /**
     * Locks due jobs, oldest first, leaving out those whose phone another open invoice holds, so
     * that waiting jobs cannot fill every batch. The hold is checked again when the phone is taken.
     */
    private List<Candidate> lockDueCandidates(int limit, Instant now) {
        return db.list("""
                SELECT job.invoice_id, invoice.environment, invoice.phone
                FROM push_jobs job JOIN invoices invoice ON invoice.id = job.invoice_id
                WHERE job.status = 'QUEUED' AND job.available_at <= ?
                  AND NOT EXISTS (
                      SELECT 1 FROM phone_prompts held JOIN invoices holder ON holder.id = held.invoice_id
                      WHERE held.environment = invoice.environment AND held.phone = invoice.phone
                        AND held.invoice_id <> job.invoice_id AND held.held_until > now()
                        AND holder.state IN ('PENDING', 'PROCESSING'))
                ORDER BY job.available_at
                LIMIT ?
                FOR UPDATE OF job SKIP LOCKED
                """, row -> new Candidate(row.getString(1), Environment.valueOf(row.getString(2)), row.getString(3)),
                now, limit);
    }

    /**
     * Groups candidates by phone, oldest job first within a phone. Phones come in sorted order, so
     * concurrent claims lock phone rows in the same order and do not deadlock on each other.
     */
    private static List<List<Candidate>> byPhone(List<Candidate> candidates) {
        Map<String, List<Candidate>> groups = new TreeMap<>();
        for (Candidate candidate : candidates) {
            String key = candidate.environment() + " " + candidate.phone();
            groups.computeIfAbsent(key, ignored -> new ArrayList<>()).add(candidate);
        }
        return new ArrayList<>(groups.values());
    }

    private Claim markAttempted(String invoiceId, Instant now, Duration lease) {
        return db.one("""
                UPDATE push_jobs SET status = 'ATTEMPTED', lease_until = ?, send_tries = send_tries + 1,
                    first_try_at = COALESCE(first_try_at, ?)
                WHERE invoice_id = ?
                RETURNING invoice_id, first_try_at
                """, row -> new Claim(row.getString(1), Db.instant(row, "first_try_at")),
                now.plus(lease), now, invoiceId).orElseThrow();
    }

    /**
     * Marks due jobs that wait for another open invoice's prompt to their phone and were never
     * marked before, and writes one PUSH_HELD timeline entry for each, naming that invoice.
     */
    private void recordNewHolds(Instant now) {
        record Hold(String invoiceId, String holderId, Instant heldUntil, String phone) {
        }
        List<Hold> holds = db.list("""
                WITH waiting AS (
                    SELECT job.invoice_id, held.invoice_id AS holder_id, held.held_until, invoice.phone
                    FROM push_jobs job
                    JOIN invoices invoice ON invoice.id = job.invoice_id
                    JOIN phone_prompts held ON held.environment = invoice.environment AND held.phone = invoice.phone
                    JOIN invoices holder ON holder.id = held.invoice_id
                    WHERE job.status = 'QUEUED' AND job.held_since IS NULL AND job.available_at <= ?
                      AND held.invoice_id <> job.invoice_id AND held.held_until > now()
                      AND holder.state IN ('PENDING', 'PROCESSING')
                    FOR UPDATE OF job SKIP LOCKED)
                UPDATE push_jobs SET held_since = ?
                FROM waiting WHERE push_jobs.invoice_id = waiting.invoice_id
                RETURNING push_jobs.invoice_id, waiting.holder_id, waiting.held_until, waiting.phone
                """, row -> new Hold(row.getString(1), row.getString(2), Db.instant(row, "held_until"),
                        row.getString(4)),
                now, now);
        for (Hold hold : holds) {
            timeline.add(hold.invoiceId(), now, "PUSH_HELD", "GATEWAY", null, null,
                    "Waiting for invoice " + hold.holderId() + ", whose M-Pesa prompt to this phone is still open;"
                            + " Daraja allows one open prompt per phone. The push is sent when that invoice settles"
                            + " or its hold ends at " + hold.heldUntil(),
                    JsonText.of(Map.of("holding_invoice_id", hold.holderId(), "held_until",
                            hold.heldUntil().toString())));
            LOG.infof("Push of invoice %s is held behind invoice %s, which has a prompt open to %s", hold.invoiceId(),
                    hold.holderId(), PhoneNumbers.mask(hold.phone()));
        }
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
