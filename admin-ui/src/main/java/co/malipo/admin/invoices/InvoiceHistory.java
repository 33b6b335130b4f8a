package co.malipo.admin.invoices;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.admin.audit.AuditLog;
import co.malipo.core.invoice.TimelineRepository;
import co.malipo.core.support.Db;

/**
 * Everything that happened to one invoice, merged into one timeline. It contains the invoice's own
 * events (creation, Daraja request and reply, queries, state changes with reasons, ledger credits).
 * It adds each raw callback, ledger entries, every webhook event and delivery attempt, every SMS,
 * needs-attention items and the dashboard's own actions from the audit log.
 */
@ApplicationScoped
public class InvoiceHistory {

    /** One timeline entry. {@code payload} is raw text (JSON or a callback body) or null. */
    public record Entry(Instant at, String kind, String source, String stateFrom, String stateTo, String text,
            String payload) {
    }

    /** A webhook delivery of the invoice, for the replay buttons. */
    public record Delivery(UUID id, String url, String topic, int sequence, String status, int attempts,
            String failureReason, boolean endpointActive) {
    }

    /** A needs-attention item about the invoice or one of its callbacks. */
    public record AttentionItem(long id, String subjectType, String subjectId, String kind, String evidence,
            Instant createdAt, Instant resolvedAt, String resolvedBy, String note) {

        public boolean isOpen() {
            return resolvedAt == null;
        }
    }

    /** A ledger entry of the invoice. */
    public record LedgerEntry(long id, String walletId, String kind, BigDecimal amount, Instant createdAt) {
    }

    private final Db db;
    private final TimelineRepository timeline;
    private final AuditLog audit;

    public InvoiceHistory(Db db, TimelineRepository timeline, AuditLog audit) {
        this.db = db;
        this.timeline = timeline;
        this.audit = audit;
    }

    /** Builds the merged timeline, oldest first. */
    public List<Entry> timeline(String invoiceId) {
        List<Entry> entries = new ArrayList<>();
        for (TimelineRepository.Entry event : timeline.list(invoiceId)) {
            entries.add(new Entry(event.at(), event.kind(), event.source(), event.stateFrom(), event.stateTo(),
                    event.note(), event.payload()));
        }
        db.list("SELECT received_at, outcome, result_code, body FROM daraja_callbacks WHERE invoice_id = ? ORDER BY id",
                row -> new Entry(Db.instant(row, "received_at"), "CALLBACK_RECEIVED", "DARAJA", null, null,
                        "Callback stored; outcome " + row.getString("outcome")
                                + (row.getString("result_code") == null ? "" : ", ResultCode " + row.getString("result_code")),
                        row.getString("body")),
                invoiceId).forEach(entries::add);
        for (LedgerEntry entry : ledger(invoiceId)) {
            entries.add(new Entry(entry.createdAt(), "LEDGER_ENTRY", "LEDGER", null, null,
                    entry.kind() + " of " + entry.amount().toPlainString() + " KES to wallet " + entry.walletId(),
                    null));
        }
        db.list("""
                SELECT a.attempted_at, a.status_code, a.latency_ms, a.error, e.url, ev.topic, d.sequence
                FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
                JOIN webhook_endpoints e ON e.id = d.endpoint_id JOIN webhook_events ev ON ev.id = d.event_id
                WHERE d.invoice_id = ? ORDER BY a.id
                """, row -> new Entry(Db.instant(row, "attempted_at"), "WEBHOOK_ATTEMPT", "WEBHOOK", null, null,
                "Event " + row.getInt("sequence") + " (" + row.getString("topic") + ") to " + row.getString("url")
                        + ": " + (row.getObject("status_code") == null ? "no HTTP status" : "HTTP " + row.getInt("status_code"))
                        + " in " + row.getInt("latency_ms") + " ms"
                        + (row.getString("error") == null ? "" : ", " + row.getString("error")),
                null), invoiceId).forEach(entries::add);
        db.list("SELECT created_at, sequence, topic, payload::text AS payload FROM webhook_events WHERE invoice_id = ?"
                + " ORDER BY sequence", row -> new Entry(Db.instant(row, "created_at"), "WEBHOOK_EVENT", "WEBHOOK",
                        null, null, "Event " + row.getInt("sequence") + " queued: " + row.getString("topic"),
                        row.getString("payload")), invoiceId).forEach(entries::add);
        db.list("SELECT created_at, phone, body, status, failure_reason, attempts FROM sms_messages"
                + " WHERE invoice_id = ? ORDER BY id", row -> new Entry(Db.instant(row, "created_at"), "SMS", "SMS",
                        null, null, "SMS to " + row.getString("phone") + ": " + row.getString("status")
                                + (row.getString("failure_reason") == null ? "" : " (" + row.getString("failure_reason") + ")")
                                + ", " + row.getInt("attempts") + " attempts",
                        row.getString("body")), invoiceId).forEach(entries::add);
        for (AttentionItem item : attention(invoiceId)) {
            entries.add(new Entry(item.createdAt(), "NEEDS_ATTENTION", "RECONCILE", null, null,
                    item.kind() + " opened", item.evidence()));
            if (item.resolvedAt() != null) {
                entries.add(new Entry(item.resolvedAt(), "ATTENTION_RESOLVED", "DASHBOARD", null, null,
                        item.kind() + " resolved by " + item.resolvedBy() + ": " + item.note(), null));
            }
        }
        for (AuditLog.Entry action : audit.listForSubject("invoice", invoiceId)) {
            entries.add(new Entry(action.at(), "DASHBOARD_" + action.action(), "DASHBOARD", null, null,
                    action.actor() + (action.note() == null ? "" : ": " + action.note()), action.after()));
        }
        entries.sort(Comparator.comparing(Entry::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return entries;
    }

    public List<LedgerEntry> ledger(String invoiceId) {
        return db.list("SELECT * FROM ledger_entries WHERE invoice_id = ? ORDER BY id",
                row -> new LedgerEntry(row.getLong("id"), row.getString("wallet_id"), row.getString("kind"),
                        row.getBigDecimal("amount"), Db.instant(row, "created_at")), invoiceId);
    }

    public List<Delivery> deliveries(String invoiceId) {
        return db.list("""
                SELECT d.id, e.url, ev.topic, d.sequence, d.status, d.attempts, d.failure_reason,
                    e.is_active AND e.deleted_at IS NULL AS endpoint_active
                FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                JOIN webhook_events ev ON ev.id = d.event_id
                WHERE d.invoice_id = ? ORDER BY d.sequence, e.url
                """, row -> new Delivery(row.getObject("id", UUID.class), row.getString("url"), row.getString("topic"),
                row.getInt("sequence"), row.getString("status"), row.getInt("attempts"),
                row.getString("failure_reason"), row.getBoolean("endpoint_active")), invoiceId);
    }

    /** Lists the attention items about the invoice and about callbacks stored for it, open ones first. */
    public List<AttentionItem> attention(String invoiceId) {
        return db.list("""
                SELECT * FROM attention_items
                WHERE (subject_type = 'invoice' AND subject_id = ?)
                   OR (subject_type = 'callback' AND subject_id IN (
                        SELECT id::text FROM daraja_callbacks WHERE invoice_id = ?))
                ORDER BY resolved_at IS NOT NULL, created_at, id
                """, InvoiceHistory::attentionItem, invoiceId, invoiceId);
    }

    public static AttentionItem attentionItem(java.sql.ResultSet row) throws java.sql.SQLException {
        return new AttentionItem(row.getLong("id"), row.getString("subject_type"), row.getString("subject_id"),
                row.getString("kind"), row.getString("evidence"), Db.instant(row, "created_at"),
                Db.instant(row, "resolved_at"), row.getString("resolved_by"), row.getString("note"));
    }
}
