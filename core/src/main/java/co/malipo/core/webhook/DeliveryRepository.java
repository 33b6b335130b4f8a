package co.malipo.core.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;

/** Webhook deliveries: one row per event and endpoint, claimed with leases, and the log of attempts. */
@ApplicationScoped
public class DeliveryRepository {

    /** A claimed delivery with what is needed to send it. */
    public record Claimed(UUID deliveryId, UUID eventId, String endpointId, String url, String challenge,
            String signingSecret, String previousSecret, Instant previousSecretExpiresAt, String payload, int sequence,
            int attempts, Environment environment) {
    }

    private final Db db;

    /** True for a delivery {@code d} that was not replayed and has a newer event's delivery to its endpoint. */
    private static final String HAS_NEWER = "d.replayed_at IS NULL AND EXISTS (SELECT 1 FROM webhook_deliveries newer"
            + " WHERE newer.endpoint_id = d.endpoint_id AND newer.invoice_id = d.invoice_id"
            + " AND newer.sequence > d.sequence)";

    public DeliveryRepository(Db db) {
        this.db = db;
    }

    /**
     * Marks pending deliveries superseded when a newer event for the same invoice and endpoint
     * exists. A delivery the merchant replayed is exempt, since the merchant asked for that event.
     * New events supersede older pending deliveries themselves ({@link WebhookOutbox#add}), and a
     * failed or expired attempt turns SUPERSEDED instead of PENDING when a newer delivery exists. This
     * sweep reads every pending delivery, so the worker runs it on its schedule, not on each claim. It
     * catches an attempt that returned to PENDING while a newer event was committing.
     */
    public int supersedeOlder(Instant now) {
        return db.update("""
                UPDATE webhook_deliveries d SET status = 'SUPERSEDED', updated_at = ?
                WHERE d.status = 'PENDING' AND d.replayed_at IS NULL AND EXISTS (
                    SELECT 1 FROM webhook_deliveries newer
                    WHERE newer.endpoint_id = d.endpoint_id AND newer.invoice_id = d.invoice_id
                      AND newer.sequence > d.sequence)
                """, now);
    }

    /**
     * Claims due deliveries of active endpoints. A delivery waits while an older one for the same
     * invoice and endpoint is in flight or still pending, and an endpoint never has more than
     * {@code perEndpoint} deliveries in flight, so one slow endpoint cannot hold every slot. The
     * pending check matters when an event commits after {@link #supersedeOlder} ran: without it,
     * one claim could take two states of an invoice and send them at once.
     */
    public List<Claimed> claim(Instant now, Duration lease, int limit, int perEndpoint) {
        return db.list("""
                WITH due AS (
                    SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                    WHERE d.status = 'PENDING' AND d.next_attempt_at <= ? AND e.is_active AND e.deleted_at IS NULL
                      AND NOT EXISTS (
                          SELECT 1 FROM webhook_deliveries busy
                          WHERE busy.endpoint_id = d.endpoint_id AND busy.invoice_id = d.invoice_id
                            AND busy.status = 'PROCESSING' AND busy.lease_until > ?)
                      AND NOT EXISTS (
                          SELECT 1 FROM webhook_deliveries older
                          WHERE older.endpoint_id = d.endpoint_id AND older.invoice_id = d.invoice_id
                            AND older.status = 'PENDING' AND older.sequence < d.sequence)
                      AND (SELECT count(*) FROM webhook_deliveries busy
                           WHERE busy.endpoint_id = d.endpoint_id AND busy.status = 'PROCESSING'
                             AND busy.lease_until > ?) < ?
                    ORDER BY d.next_attempt_at LIMIT ? FOR UPDATE OF d SKIP LOCKED)
                UPDATE webhook_deliveries d SET status = 'PROCESSING', lease_until = ?, attempts = d.attempts + 1,
                    updated_at = ?
                FROM due, webhook_events ev, webhook_endpoints e
                WHERE d.id = due.id AND ev.id = d.event_id AND e.id = d.endpoint_id
                RETURNING d.id, d.event_id, d.endpoint_id, e.url, e.challenge, e.signing_secret,
                    e.previous_signing_secret, e.previous_secret_expires_at, ev.payload::text, d.sequence, d.attempts,
                    e.environment
                """, row -> new Claimed(row.getObject(1, UUID.class), row.getObject(2, UUID.class), row.getString(3),
                        row.getString(4), row.getString(5), row.getString(6), row.getString(7),
                        Db.instant(row, "previous_secret_expires_at"), row.getString(9), row.getInt(10), row.getInt(11),
                        Environment.valueOf(row.getString(12))),
                now, now, now, perEndpoint, limit, now.plus(lease), now);
    }

    /**
     * Returns deliveries whose worker died to the queue, or marks them SUPERSEDED when a newer event
     * of the invoice has a delivery to the same endpoint.
     */
    public int releaseExpired(Instant now) {
        return db.update("UPDATE webhook_deliveries d SET status = CASE WHEN " + HAS_NEWER
                + " THEN 'SUPERSEDED' ELSE 'PENDING' END, lease_until = NULL, updated_at = ?"
                + " WHERE d.status = 'PROCESSING' AND d.lease_until < ?", now, now);
    }

    public void recordAttempt(UUID deliveryId, Instant at, Integer statusCode, long latencyMillis, String error) {
        db.update("INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms, error)"
                + " VALUES (?, ?, ?, ?, ?)", deliveryId, at, statusCode, (int) latencyMillis, truncate(error));
    }

    public void markDelivered(UUID deliveryId, Instant now) {
        db.update("UPDATE webhook_deliveries SET status = 'DELIVERED', delivered_at = ?, lease_until = NULL,"
                + " failure_reason = NULL, updated_at = ? WHERE id = ?", now, now, deliveryId);
    }

    /**
     * Puts a failed delivery back for a later attempt, or ends it as FAILED when {@code retryAt} is
     * null. A delivery that would be retried while a newer event of the invoice has a delivery to the
     * same endpoint ends as SUPERSEDED instead, unless the merchant replayed it.
     */
    public void markFailed(UUID deliveryId, String reason, Instant retryAt, Instant now) {
        if (retryAt == null) {
            db.update("UPDATE webhook_deliveries SET status = 'FAILED', lease_until = NULL, failure_reason = ?,"
                    + " updated_at = ? WHERE id = ?", truncate(reason), now, deliveryId);
            return;
        }
        db.update("UPDATE webhook_deliveries d SET status = CASE WHEN " + HAS_NEWER
                + " THEN 'SUPERSEDED' ELSE 'PENDING' END, next_attempt_at = ?, lease_until = NULL,"
                + " failure_reason = ?, updated_at = ? WHERE d.id = ?", retryAt, truncate(reason), now, deliveryId);
    }

    /**
     * Resets an endpoint's failure count after a success. The row is written only when there is
     * something to reset, because every delivery to an endpoint calls this and a write each time
     * would queue all of them on the endpoint's row lock.
     */
    public void resetFailures(String endpointId, Instant now) {
        db.update("UPDATE webhook_endpoints SET consecutive_failures = 0, warned_at = NULL, updated_at = ?"
                + " WHERE id = ? AND (consecutive_failures <> 0 OR warned_at IS NOT NULL)", now, endpointId);
    }

    /** Counts one more consecutive failure and returns the new count. */
    public int countFailure(String endpointId, Instant now) {
        return db.one("UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1, updated_at = ?"
                + " WHERE id = ? RETURNING consecutive_failures", row -> row.getInt(1), now, endpointId).orElse(0);
    }

    /** Marks the endpoint warned; returns false if it already was. */
    public boolean markWarned(String endpointId, Instant now) {
        return db.update("UPDATE webhook_endpoints SET warned_at = ? WHERE id = ? AND warned_at IS NULL", now,
                endpointId) == 1;
    }

    /** Disables an active endpoint; returns false if it already was disabled. */
    public boolean disable(String endpointId, Instant now) {
        return db.update("UPDATE webhook_endpoints SET is_active = false, disabled_at = ?, updated_at = ?"
                + " WHERE id = ? AND is_active", now, now, endpointId) == 1;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300);
    }
}
