package co.malipo.admin.overview;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;

/** Daily invoice figures by East Africa Time day, for the overview page. */
@ApplicationScoped
public class OverviewRepository {

    /** Invoices of one EAT day with one state and channel: how many, and their amounts. */
    public record DayCell(LocalDate day, String state, String channel, long count, BigDecimal amount) {
    }

    private final Db db;

    public OverviewRepository(Db db) {
        this.db = db;
    }

    /** Groups the environment's invoices created in {@code [from, to)} by EAT day, state and channel. */
    public List<DayCell> cells(Environment environment, Instant from, Instant to) {
        return db.list("""
                SELECT (created_at AT TIME ZONE 'Africa/Nairobi')::date AS day, state, channel, count(*) AS n,
                    sum(amount) AS total
                FROM invoices WHERE environment = ? AND created_at >= ? AND created_at < ?
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                """, row -> new DayCell(row.getObject("day", LocalDate.class), row.getString("state"),
                        row.getString("channel"), row.getLong("n"), row.getBigDecimal("total")),
                environment, from, to);
    }

    /** Counts the environment's open invoices (PENDING or PROCESSING), whenever created. */
    public long openCount(Environment environment) {
        return db.one("SELECT count(*) FROM invoices WHERE state IN ('PENDING', 'PROCESSING') AND environment = ?",
                row -> row.getLong(1), environment).orElse(0L);
    }

    /** Counts unresolved needs-attention items of every kind and environment. */
    public long attentionCount() {
        return db.one("SELECT count(*) FROM attention_items WHERE resolved_at IS NULL", row -> row.getLong(1))
                .orElse(0L);
    }
}
