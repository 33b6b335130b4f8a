package co.malipo.admin.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;
import co.malipo.core.support.JsonText;

/**
 * The append-only audit log. Rows are only inserted; triggers in the database reject UPDATE,
 * DELETE and TRUNCATE. Call {@link #record} inside the transaction that makes the change, so the
 * change and its entry commit together.
 */
@ApplicationScoped
public class AuditLog {

    /** One entry; {@code before} and {@code after} are JSON text or null. */
    public record Entry(long id, Instant at, String actor, String action, String subjectType, String subjectId,
            String clientIp, String before, String after, String note) {
    }

    private final Db db;
    private final Clock clock;

    public AuditLog(Db db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Adds an entry. {@code before} and {@code after} are written as JSON objects; either may be null. */
    public void record(String actor, String action, String subjectType, String subjectId, String clientIp,
            Map<String, ?> before, Map<String, ?> after, String note) {
        db.update("INSERT INTO audit_log (at, actor, action, subject_type, subject_id, client_ip, before_state,"
                + " after_state, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                clock.instant(), actor, action, subjectType, subjectId, clientIp, json(before), json(after), note);
    }

    /** Lists entries newest first, those older than the cursor {@code (beforeAt, beforeId)} when it is given. */
    public List<Entry> list(Instant beforeAt, Long beforeId, int limit) {
        if (beforeAt == null) {
            return db.list("SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT ?", AuditLog::map, limit);
        }
        return db.list("SELECT * FROM audit_log WHERE (at, id) < (?, ?) ORDER BY at DESC, id DESC LIMIT ?",
                AuditLog::map, beforeAt, beforeId, limit);
    }

    public List<Entry> listForSubject(String subjectType, String subjectId) {
        return db.list("SELECT * FROM audit_log WHERE subject_type = ? AND subject_id = ? ORDER BY id", AuditLog::map,
                subjectType, subjectId);
    }

    private static Db.Json json(Map<String, ?> value) {
        return value == null ? null : new Db.Json(JsonText.of(value));
    }

    private static Entry map(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Entry(row.getLong("id"), Db.instant(row, "at"), row.getString("actor"), row.getString("action"),
                row.getString("subject_type"), row.getString("subject_id"), row.getString("client_ip"),
                row.getString("before_state"), row.getString("after_state"), row.getString("note"));
    }
}
