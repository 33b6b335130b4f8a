package co.malipo.admin.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;

/** Webhook deliveries and endpoints across all merchants, for the Webhooks page. */
@ApplicationScoped
public class WebhookOverview {

    /** A delivery that failed for good, after its last retry. */
    public record FailedDelivery(UUID id, String invoiceId, String merchantId, String merchantName,
            String environment, String endpointId, String url, String topic, int sequence, int attempts,
            String failureReason, Instant updatedAt) {
    }

    /** An endpoint with its health. */
    public record Endpoint(String id, String merchantId, String merchantName, String environment, String url,
            boolean active, int consecutiveFailures, Instant disabledAt, Instant lastAttemptAt,
            Integer lastStatusCode) {
    }

    /** The merchant and environment that own a delivery, which a replay needs. */
    public record Owner(String merchantId, Environment environment, String invoiceId) {
    }

    private final Db db;

    public WebhookOverview(Db db) {
        this.db = db;
    }

    /** Lists FAILED deliveries newest first, those older than the cursor when it is given. */
    public List<FailedDelivery> failed(Instant beforeAt, UUID beforeId, int limit) {
        String sql = """
                SELECT d.id, d.invoice_id, e.merchant_id, m.name, e.environment, e.id AS endpoint_id, e.url, ev.topic,
                    d.sequence, d.attempts, d.failure_reason, d.updated_at
                FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                JOIN merchants m ON m.id = e.merchant_id JOIN webhook_events ev ON ev.id = d.event_id
                WHERE d.status = 'FAILED' AND e.deleted_at IS NULL
                """;
        Db.RowMapper<FailedDelivery> mapper = row -> new FailedDelivery(row.getObject("id", UUID.class),
                row.getString("invoice_id"), row.getString("merchant_id"), row.getString("name"),
                row.getString("environment"), row.getString("endpoint_id"), row.getString("url"),
                row.getString("topic"), row.getInt("sequence"), row.getInt("attempts"),
                row.getString("failure_reason"), Db.instant(row, "updated_at"));
        if (beforeAt == null) {
            return db.list(sql + " ORDER BY d.updated_at DESC, d.id DESC LIMIT ?", mapper, limit);
        }
        return db.list(sql + " AND (d.updated_at, d.id) < (?, ?) ORDER BY d.updated_at DESC, d.id DESC LIMIT ?",
                mapper, beforeAt, beforeId, limit);
    }

    /**
     * Lists endpoints that are disabled or have failed at least once since their last success,
     * disabled ones first, then by consecutive failures. Healthy endpoints are left out.
     */
    public List<Endpoint> unhealthyEndpoints(int limit) {
        return db.list("""
                SELECT e.id, e.merchant_id, m.name, e.environment, e.url, e.is_active, e.consecutive_failures,
                    e.disabled_at, last.attempted_at, last.status_code
                FROM webhook_endpoints e JOIN merchants m ON m.id = e.merchant_id
                LEFT JOIN LATERAL (
                    SELECT a.attempted_at, a.status_code FROM webhook_attempts a
                    JOIN webhook_deliveries d ON d.id = a.delivery_id
                    WHERE d.endpoint_id = e.id ORDER BY a.id DESC LIMIT 1) last ON true
                WHERE e.deleted_at IS NULL AND (NOT e.is_active OR e.consecutive_failures > 0)
                ORDER BY e.is_active, e.consecutive_failures DESC, e.id
                LIMIT ?
                """, row -> new Endpoint(row.getString("id"), row.getString("merchant_id"), row.getString("name"),
                row.getString("environment"), row.getString("url"), row.getBoolean("is_active"),
                row.getInt("consecutive_failures"), Db.instant(row, "disabled_at"),
                Db.instant(row, "attempted_at"), (Integer) row.getObject("status_code")), limit);
    }

    public Optional<Owner> ownerOfDelivery(UUID deliveryId) {
        return db.one("SELECT e.merchant_id, e.environment, d.invoice_id FROM webhook_deliveries d"
                + " JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ?",
                row -> new Owner(row.getString(1), Environment.valueOf(row.getString(2)), row.getString(3)),
                deliveryId);
    }

    public Optional<Owner> ownerOfEndpoint(String endpointId) {
        return db.one("SELECT merchant_id, environment FROM webhook_endpoints WHERE id = ? AND deleted_at IS NULL",
                row -> new Owner(row.getString(1), Environment.valueOf(row.getString(2)), null), endpointId);
    }
}
