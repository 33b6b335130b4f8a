package co.malipo.admin.webhooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;

/**
 * Webhook deliveries and endpoints across all merchants, for the dashboard. Deleted endpoints
 * and their deliveries are left out, as in the merchant API's delivery log.
 */
@ApplicationScoped
public class WebhookDirectory {

    /** A failed delivery with its endpoint and merchant. {@code failedAt} is when its last attempt failed. */
    public record FailedDelivery(UUID id, UUID eventId, String invoiceId, int sequence, String merchantId,
            String merchantName, Environment environment, String endpointId, String url, boolean endpointActive,
            int attempts, String failureReason, Instant failedAt, Instant createdAt) {
    }

    /** An endpoint with its merchant and delivery health. */
    public record Endpoint(String id, String merchantId, String merchantName, Environment environment, String url,
            boolean active, int consecutiveFailures, Instant warnedAt, Instant disabledAt, Instant updatedAt) {
    }

    /** The position after the last row of a page: its failure time and delivery id. */
    public record Cursor(Instant failedAt, UUID id) {

        /** Encodes the cursor for a query parameter, as {@code <ISO instant>_<delivery id>}. */
        public String encode() {
            return failedAt + "_" + id;
        }

        /** Parses an encoded cursor, or returns empty when it is malformed. */
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
                        UUID.fromString(text.substring(separator + 1))));
            } catch (DateTimeParseException | IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** One page of failed deliveries and the cursor of the next page, null on the last page. */
    public record Page(List<FailedDelivery> rows, Cursor next) {
    }

    private static final String FAILED = """
            SELECT d.id, d.event_id, d.invoice_id, d.sequence, d.attempts, d.failure_reason, d.updated_at,
                d.created_at, e.id AS endpoint_id, e.url, e.is_active, e.environment, m.id AS merchant_id,
                m.name AS merchant_name
            FROM webhook_deliveries d
            JOIN webhook_endpoints e ON e.id = d.endpoint_id
            JOIN merchants m ON m.id = e.merchant_id
            WHERE d.status = 'FAILED' AND e.deleted_at IS NULL
            """;

    private static final String ENDPOINTS = """
            SELECT e.id, e.merchant_id, m.name AS merchant_name, e.environment, e.url, e.is_active,
                e.consecutive_failures, e.warned_at, e.disabled_at, e.updated_at
            FROM webhook_endpoints e JOIN merchants m ON m.id = e.merchant_id
            WHERE e.deleted_at IS NULL
            """;

    private final Db db;

    public WebhookDirectory(Db db) {
        this.db = db;
    }

    /**
     * Returns failed deliveries, most recently failed first, in keyset pages on
     * {@code (updated_at, id)}. {@code merchantId} and {@code endpointId} filter when not null.
     */
    public Page failed(String merchantId, String endpointId, Cursor after, int size) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder sql = new StringBuilder(FAILED);
        if (merchantId != null) {
            sql.append(" AND e.merchant_id = ?");
            parameters.add(merchantId);
        }
        if (endpointId != null) {
            sql.append(" AND e.id = ?");
            parameters.add(endpointId);
        }
        if (after != null) {
            sql.append(" AND (d.updated_at, d.id) < (?, ?)");
            parameters.add(after.failedAt());
            parameters.add(after.id());
        }
        sql.append(" ORDER BY d.updated_at DESC, d.id DESC LIMIT ?");
        parameters.add(size + 1);
        List<FailedDelivery> rows = db.list(sql.toString(), WebhookDirectory::failedDelivery, parameters.toArray());
        if (rows.size() <= size) {
            return new Page(rows, null);
        }
        FailedDelivery last = rows.get(size - 1);
        return new Page(List.copyOf(rows.subList(0, size)), new Cursor(last.failedAt(), last.id()));
    }

    /** Returns the failed deliveries among {@code ids}. Ids that are not failed deliveries are left out. */
    public List<FailedDelivery> failedByIds(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.list(FAILED + " AND d.id = ANY (?::uuid[])", WebhookDirectory::failedDelivery,
                ids.stream().map(UUID::toString).collect(java.util.stream.Collectors.joining(",", "{", "}")));
    }

    public Optional<Endpoint> endpoint(String id) {
        return db.one(ENDPOINTS + " AND e.id = ?", WebhookDirectory::endpoint, id);
    }

    /** Lists a merchant's endpoints, live ones first, oldest first within each environment. */
    public List<Endpoint> endpointsOf(String merchantId) {
        return db.list(ENDPOINTS + " AND e.merchant_id = ? ORDER BY e.environment DESC, e.created_at, e.id",
                WebhookDirectory::endpoint, merchantId);
    }

    /** Lists endpoints that are disabled or whose last attempt failed: disabled first, then by failure count. */
    public List<Endpoint> unhealthy(int limit) {
        return db.list(ENDPOINTS + " AND (NOT e.is_active OR e.consecutive_failures > 0)"
                + " ORDER BY e.is_active, e.consecutive_failures DESC, e.id LIMIT ?", WebhookDirectory::endpoint,
                limit);
    }

    private static FailedDelivery failedDelivery(ResultSet row) throws SQLException {
        return new FailedDelivery(row.getObject("id", UUID.class), row.getObject("event_id", UUID.class),
                row.getString("invoice_id"), row.getInt("sequence"), row.getString("merchant_id"),
                row.getString("merchant_name"), Environment.valueOf(row.getString("environment")),
                row.getString("endpoint_id"), row.getString("url"), row.getBoolean("is_active"),
                row.getInt("attempts"), row.getString("failure_reason"), Db.instant(row, "updated_at"),
                Db.instant(row, "created_at"));
    }

    private static Endpoint endpoint(ResultSet row) throws SQLException {
        return new Endpoint(row.getString("id"), row.getString("merchant_id"), row.getString("merchant_name"),
                Environment.valueOf(row.getString("environment")), row.getString("url"), row.getBoolean("is_active"),
                row.getInt("consecutive_failures"), Db.instant(row, "warned_at"), Db.instant(row, "disabled_at"),
                Db.instant(row, "updated_at"));
    }
}
