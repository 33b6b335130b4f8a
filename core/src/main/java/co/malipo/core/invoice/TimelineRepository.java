package co.malipo.core.invoice;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/** The timeline of an invoice: every request, reply, callback, query and state change, in order. */
@ApplicationScoped
public class TimelineRepository {

    /** One timeline entry; {@code payload} is JSON text or null. */
    public record Entry(long id, String invoiceId, Instant at, String kind, String source, String stateFrom,
            String stateTo, String note, String payload) {
    }

    private final Db db;

    public TimelineRepository(Db db) {
        this.db = db;
    }

    /** Adds an entry. {@code payload} must be JSON text (or null) with secrets already removed. */
    public void add(String invoiceId, Instant at, String kind, String source, InvoiceState from, InvoiceState to,
            String note, String payload) {
        db.update("INSERT INTO invoice_events (invoice_id, at, kind, source, state_from, state_to, note, payload)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                invoiceId, at, kind, source, from, to, note, payload == null ? null : new Db.Json(payload));
    }

    public List<Entry> list(String invoiceId) {
        return db.list("SELECT * FROM invoice_events WHERE invoice_id = ? ORDER BY id",
                row -> new Entry(row.getLong("id"), row.getString("invoice_id"), Db.instant(row, "at"),
                        row.getString("kind"), row.getString("source"), row.getString("state_from"),
                        row.getString("state_to"), row.getString("note"), row.getString("payload")),
                invoiceId);
    }
}
