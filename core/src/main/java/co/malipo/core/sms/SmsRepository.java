package co.malipo.core.sms;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/** Rows of {@code sms_messages}. */
@ApplicationScoped
public class SmsRepository {

    /** Stored message states. DELIVERED and REJECTED come from Africa's Talking's final delivery reports. */
    public enum Status {
        QUEUED, SENT, FAILED, DELIVERED, REJECTED
    }

    /** One stored message. */
    public record SmsMessage(long id, String invoiceId, String phone, String body, Status status,
            String providerMessageId, Integer statusCode, String failureReason, int attempts, Instant nextAttemptAt) {
    }

    private static final String COLUMNS = "id, invoice_id, phone, body, status, provider_message_id, status_code,"
            + " failure_reason, attempts, next_attempt_at";

    private final Db db;

    public SmsRepository(Db db) {
        this.db = db;
    }

    /** Inserts a QUEUED message due at {@code now} and returns its id. */
    public long insert(String invoiceId, String phone, String body, Instant now) {
        return db.one("INSERT INTO sms_messages (invoice_id, phone, body, status, attempts, next_attempt_at,"
                + " created_at, updated_at) VALUES (?, ?, ?, 'QUEUED', 0, ?, ?, ?) RETURNING id",
                row -> row.getLong(1), invoiceId, phone, body, now, now, now).orElseThrow();
    }

    public Optional<SmsMessage> find(long id) {
        return db.one("SELECT " + COLUMNS + " FROM sms_messages WHERE id = ?", SmsRepository::map, id);
    }

    public List<SmsMessage> listForInvoice(String invoiceId) {
        return db.list("SELECT " + COLUMNS + " FROM sms_messages WHERE invoice_id = ? ORDER BY id",
                SmsRepository::map, invoiceId);
    }

    /**
     * Claims up to {@code limit} due messages, counts the attempt and moves their next attempt a
     * lease ahead, so a sender that dies mid-send leaves them to be claimed again after the lease.
     * {@code SKIP LOCKED} lets several instances claim at once without taking the same row.
     */
    public List<SmsMessage> claimDue(Instant now, Duration lease, int limit) {
        return db.list("UPDATE sms_messages SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ?"
                + " WHERE id IN (SELECT id FROM sms_messages WHERE status = 'QUEUED' AND next_attempt_at <= ?"
                + " ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS,
                SmsRepository::map, now.plus(lease), now, now, limit);
    }

    /** Records that Africa's Talking took the message, with its message id (null when it sent none). */
    public void markSent(long id, String providerMessageId, int statusCode, Instant now) {
        db.update("UPDATE sms_messages SET status = 'SENT', provider_message_id = ?, status_code = ?,"
                + " failure_reason = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ? AND status = 'QUEUED'",
                providerMessageId, statusCode, now, id);
    }

    /** Ends the message as FAILED with no further attempt. */
    public void markFailed(long id, Integer statusCode, String reason, Instant now) {
        db.update("UPDATE sms_messages SET status = 'FAILED', status_code = ?, failure_reason = ?,"
                + " next_attempt_at = NULL, updated_at = ? WHERE id = ? AND status = 'QUEUED'",
                statusCode, reason, now, id);
    }

    /** Keeps the message QUEUED for another attempt at {@code nextAttemptAt}. */
    public void scheduleRetry(long id, Integer statusCode, String reason, Instant nextAttemptAt, Instant now) {
        db.update("UPDATE sms_messages SET status_code = ?, failure_reason = ?, next_attempt_at = ?, updated_at = ?"
                + " WHERE id = ? AND status = 'QUEUED'", statusCode, reason, nextAttemptAt, now, id);
    }

    /**
     * Applies a delivery report to the SENT message with this Africa's Talking message id:
     * {@code Success} moves it to DELIVERED, {@code Rejected} and {@code Failed} to REJECTED, and
     * the other words are kept as its latest delivery status. A message that is already DELIVERED
     * or REJECTED keeps its final state, because reports may arrive out of order.
     *
     * @return whether a message changed
     */
    public boolean applyDeliveryReport(String providerMessageId, String deliveryStatus, String failureReason,
            Instant now) {
        Status next = switch (deliveryStatus) {
            case "Success" -> Status.DELIVERED;
            case "Rejected", "Failed" -> Status.REJECTED;
            default -> Status.SENT;
        };
        return db.update("UPDATE sms_messages SET status = ?, delivery_status = ?,"
                + " failure_reason = COALESCE(?, failure_reason), delivery_reported_at = ?, updated_at = ?"
                + " WHERE provider_message_id = ? AND status = 'SENT'",
                next.name(), deliveryStatus, failureReason, now, now, providerMessageId) > 0;
    }

    private static SmsMessage map(java.sql.ResultSet row) throws java.sql.SQLException {
        int code = row.getInt("status_code");
        Integer statusCode = row.wasNull() ? null : code;
        return new SmsMessage(row.getLong("id"), row.getString("invoice_id"), row.getString("phone"),
                row.getString("body"), Status.valueOf(row.getString("status")), row.getString("provider_message_id"),
                statusCode, row.getString("failure_reason"), row.getInt("attempts"), Db.instant(row, "next_attempt_at"));
    }
}
