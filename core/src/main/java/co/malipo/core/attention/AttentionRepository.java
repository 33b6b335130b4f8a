package co.malipo.core.attention;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/** The "needs attention" list: what a person must look at, with its evidence. */
@ApplicationScoped
public class AttentionRepository {

    /** Kinds of items. */
    public enum Kind {
        ORPHAN_CALLBACK,
        AMOUNT_MISMATCH,
        LATE_SUCCESS,
        SOURCES_DISAGREE,
        OPEN_TOO_LONG,
        CONFIGURATION_ERROR,
        OUTCOME_UNKNOWN,
        WEBHOOK_ENDPOINT_DISABLED,
        SMS_CONFIGURATION_ERROR
    }

    /** One open or resolved item. */
    public record Item(long id, String subjectType, String subjectId, String kind, String evidence, Instant createdAt) {
    }

    private final Db db;

    public AttentionRepository(Db db) {
        this.db = db;
    }

    /** Opens an item unless the same subject already has an open item of this kind. */
    public void open(String subjectType, String subjectId, Kind kind, String evidenceJson, Instant now) {
        db.update("INSERT INTO attention_items (subject_type, subject_id, kind, evidence, created_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (subject_type, subject_id, kind) WHERE resolved_at IS NULL DO NOTHING",
                subjectType, subjectId, kind, evidenceJson == null ? null : new Db.Json(evidenceJson), now);
    }

    public List<Item> listOpen(String subjectType, String subjectId) {
        return db.list("SELECT * FROM attention_items WHERE subject_type = ? AND subject_id = ? AND resolved_at IS NULL"
                + " ORDER BY id", row -> new Item(row.getLong("id"), row.getString("subject_type"),
                        row.getString("subject_id"), row.getString("kind"), row.getString("evidence"),
                        Db.instant(row, "created_at")),
                subjectType, subjectId);
    }
}
