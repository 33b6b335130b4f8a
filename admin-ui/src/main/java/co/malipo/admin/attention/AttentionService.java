package co.malipo.admin.attention;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.admin.audit.AuditLog;
import co.malipo.admin.invoices.InvoiceHistory;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** The needs-attention queue: lists open items oldest first and resolves one with a note. */
@ApplicationScoped
public class AttentionService {

    static final int MAX_NOTE_LENGTH = 2000;

    /** Outcome of a resolve request. */
    public enum Resolution {
        RESOLVED,
        NOT_FOUND,
        ALREADY_RESOLVED
    }

    private final Db db;
    private final AuditLog audit;
    private final Clock clock;

    public AttentionService(Db db, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.clock = clock;
    }

    /** Lists open items oldest first, those after the cursor {@code (afterAt, afterId)} when it is given. */
    public List<InvoiceHistory.AttentionItem> listOpen(Instant afterAt, Long afterId, int limit) {
        if (afterAt == null) {
            return db.list("SELECT * FROM attention_items WHERE resolved_at IS NULL ORDER BY created_at, id LIMIT ?",
                    InvoiceHistory::attentionItem, limit);
        }
        return db.list("SELECT * FROM attention_items WHERE resolved_at IS NULL AND (created_at, id) > (?, ?)"
                + " ORDER BY created_at, id LIMIT ?", InvoiceHistory::attentionItem, afterAt, afterId, limit);
    }

    public Optional<InvoiceHistory.AttentionItem> find(long id) {
        return db.one("SELECT * FROM attention_items WHERE id = ?", InvoiceHistory::attentionItem, id);
    }

    /**
     * Resolves an open item with a note, and audits it in the same transaction. A blank note is a
     * {@link ValidationException}; an item resolved by someone else first is left as they left it.
     */
    public Resolution resolve(long id, String note, String actor, String clientIp) {
        String text = note == null ? "" : note.trim();
        if (text.isEmpty()) {
            throw new ValidationException(Map.of("note", List.of("A note is required: say what you checked and"
                    + " what you decided.")));
        }
        if (text.length() > MAX_NOTE_LENGTH) {
            throw new ValidationException(Map.of("note", List.of("The note has " + text.length()
                    + " characters; at most " + MAX_NOTE_LENGTH + " are allowed.")));
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<InvoiceHistory.AttentionItem> item = db.one("SELECT * FROM attention_items WHERE id = ? FOR UPDATE",
                    InvoiceHistory::attentionItem, id);
            if (item.isEmpty()) {
                return Resolution.NOT_FOUND;
            }
            if (!item.get().isOpen()) {
                return Resolution.ALREADY_RESOLVED;
            }
            Instant now = clock.instant();
            db.update("UPDATE attention_items SET resolved_at = ?, resolved_by = ?, note = ? WHERE id = ?", now, actor,
                    text, id);
            InvoiceHistory.AttentionItem open = item.get();
            audit.record(actor, "ATTENTION_RESOLVED", open.subjectType(), open.subjectId(), clientIp,
                    Map.of("attention_item", id, "kind", open.kind(), "resolved", false),
                    Map.of("attention_item", id, "kind", open.kind(), "resolved", true, "note", text), text);
            return Resolution.RESOLVED;
        });
    }
}
