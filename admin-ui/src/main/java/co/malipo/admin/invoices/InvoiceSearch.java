package co.malipo.admin.invoices;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/**
 * Finds invoices by an {@link InvoiceFilter}, newest first. Pages are keyset pages on
 * {@code (created_at, id)}, so a deep page costs as much as the first. The export runs the same
 * query without a limit through a server-side cursor, so it holds one batch of rows in memory.
 */
@ApplicationScoped
public class InvoiceSearch {

    /** Rows fetched from PostgreSQL per round trip while exporting. */
    static final int EXPORT_FETCH_SIZE = 1000;

    private static final String COLUMNS = """
            SELECT i.id, i.created_at, i.finished_at, i.merchant_id, m.name AS merchant_name, i.environment,
                i.channel, i.state, i.outcome_unknown, i.phone, i.api_ref, i.amount, i.value, i.charges, i.net_amount,
                i.mpesa_reference, i.failed_code, i.failed_reason
            FROM invoices i JOIN merchants m ON m.id = i.merchant_id
            """;

    /** One row of the list and of the export. */
    public record Row(String id, Instant createdAt, Instant finishedAt, String merchantId, String merchantName,
            String environment, String channel, String state, boolean outcomeUnknown, String phone, String apiRef,
            BigDecimal amount, BigDecimal value, BigDecimal charges, BigDecimal netAmount, String mpesaReference,
            String failedCode, String failedReason) {
    }

    /** The position after the last row of a page: its creation time and id. */
    public record Cursor(Instant createdAt, String id) {

        /** Encodes the cursor for a query parameter, as {@code <ISO instant>_<invoice id>}. */
        public String encode() {
            return createdAt + "_" + id;
        }

        /** Parses an encoded cursor; empty when it is malformed. */
        public static Optional<Cursor> decode(String text) {
            if (text == null || text.isBlank()) {
                return Optional.empty();
            }
            int separator = text.lastIndexOf('_');
            if (separator < 1) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Cursor(Instant.parse(text.substring(0, separator)),
                        text.substring(separator + 1)));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }

    /** One page of rows and the cursor of the next page, null on the last page. */
    public record Page(List<Row> rows, Cursor next) {
    }

    /** Receives export rows one by one. */
    @FunctionalInterface
    public interface RowSink {
        void accept(Row row) throws IOException;
    }

    private final Db db;
    private final DataSource dataSource;

    public InvoiceSearch(Db db, DataSource dataSource) {
        this.db = db;
        this.dataSource = dataSource;
    }

    /** Returns the page after {@code after} (the first page when null) of at most {@code size} rows. */
    public Page page(InvoiceFilter filter, Cursor after, int size) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder(COLUMNS).append(where(filter, parameters));
        if (after != null) {
            sql.append(" AND (i.created_at, i.id) < (?, ?)");
            parameters.add(after.createdAt());
            parameters.add(after.id());
        }
        sql.append(" ORDER BY i.created_at DESC, i.id DESC LIMIT ?");
        parameters.add(size + 1);
        List<Row> rows = db.list(sql.toString(), InvoiceSearch::map, parameters.toArray());
        if (rows.size() <= size) {
            return new Page(rows, null);
        }
        List<Row> page = rows.subList(0, size);
        Row last = page.get(size - 1);
        return new Page(List.copyOf(page), new Cursor(last.createdAt(), last.id()));
    }

    /**
     * Streams every row that matches the filter, newest first. The connection reads through a
     * cursor (auto-commit off and a fetch size), which is how the PostgreSQL driver avoids loading
     * the whole result.
     */
    public long export(InvoiceFilter filter, RowSink sink) throws IOException {
        List<Object> parameters = new ArrayList<>();
        String sql = COLUMNS + where(filter, parameters) + " ORDER BY i.created_at DESC, i.id DESC";
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(EXPORT_FETCH_SIZE);
                for (int i = 0; i < parameters.size(); i++) {
                    Object value = parameters.get(i);
                    if (value instanceof Instant instant) {
                        statement.setTimestamp(i + 1, Timestamp.from(instant));
                    } else {
                        statement.setObject(i + 1, value);
                    }
                }
                long count = 0;
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        sink.accept(map(rows));
                        count++;
                    }
                }
                return count;
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new Db.DataAccessException(sql, e);
        }
    }

    /** Builds the WHERE clause of the filter and adds its parameters. */
    static String where(InvoiceFilter filter, List<Object> parameters) {
        StringBuilder where = new StringBuilder(" WHERE true");
        if (filter.state() != null) {
            where.append(" AND i.state = ?");
            parameters.add(filter.state().name());
        }
        if (filter.merchantId() != null) {
            where.append(" AND i.merchant_id = ?");
            parameters.add(filter.merchantId());
        }
        if (filter.environment() != null) {
            where.append(" AND i.environment = ?");
            parameters.add(filter.environment().name());
        }
        if (filter.channel() != null) {
            where.append(" AND i.channel = ?");
            parameters.add(filter.channel().name());
        }
        if (filter.createdFrom() != null) {
            where.append(" AND i.created_at >= ?");
            parameters.add(filter.createdFrom());
        }
        if (filter.createdBefore() != null) {
            where.append(" AND i.created_at < ?");
            parameters.add(filter.createdBefore());
        }
        // Prefix matches use LIKE 'prefix%', which the text_pattern_ops indexes of V13 serve.
        if (filter.phonePrefix() != null) {
            where.append(" AND i.phone LIKE ?");
            parameters.add(likePrefix(filter.phonePrefix()));
        }
        if (filter.apiRefPrefix() != null) {
            where.append(" AND i.api_ref LIKE ?");
            parameters.add(likePrefix(filter.apiRefPrefix()));
        }
        if (filter.receipt() != null) {
            where.append(" AND i.mpesa_reference = ?");
            parameters.add(filter.receipt());
        }
        if (filter.invoiceId() != null) {
            where.append(" AND i.id = ?");
            parameters.add(filter.invoiceId());
        }
        return where.toString();
    }

    /** Escapes LIKE's wildcards and its escape character (backslash by default) and appends {@code %}. */
    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static Row map(ResultSet row) throws SQLException {
        return new Row(row.getString("id"), Db.instant(row, "created_at"), Db.instant(row, "finished_at"),
                row.getString("merchant_id"), row.getString("merchant_name"), row.getString("environment"),
                row.getString("channel"), row.getString("state"), row.getBoolean("outcome_unknown"),
                row.getString("phone"), row.getString("api_ref"), row.getBigDecimal("amount"),
                row.getBigDecimal("value"), row.getBigDecimal("charges"), row.getBigDecimal("net_amount"),
                row.getString("mpesa_reference"), row.getString("failed_code"), row.getString("failed_reason"));
    }
}
