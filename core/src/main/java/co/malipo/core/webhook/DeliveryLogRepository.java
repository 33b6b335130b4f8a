package co.malipo.core.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;

/**
 * The delivery log that merchants read: one entry per delivery of an event to one of their
 * endpoints. Deliveries of deleted endpoints are left out.
 */
@ApplicationScoped
public class DeliveryLogRepository {

    /** Delivery states, as stored in {@code webhook_deliveries.status}. */
    public static final List<String> STATUSES = List.of("PENDING", "PROCESSING", "DELIVERED", "FAILED", "SUPERSEDED");

    /** One delivery with its event and endpoint. */
    public record Entry(UUID id, UUID eventId, WebhookEndpoint endpoint, String topic, String payload, String status,
            String failureReason, int attempts, Instant createdAt, Instant updatedAt) {
    }

    private static final String SELECT = """
            SELECT d.id AS delivery_id, d.event_id, d.status AS delivery_status, d.failure_reason, d.attempts,
                d.created_at AS delivery_created_at, d.updated_at AS delivery_updated_at, ev.topic,
                ev.payload::text AS payload, e.*
            FROM webhook_deliveries d
            JOIN webhook_events ev ON ev.id = d.event_id
            JOIN webhook_endpoints e ON e.id = d.endpoint_id
            WHERE e.merchant_id = ? AND e.environment = ? AND e.deleted_at IS NULL
            """;

    private final Db db;

    public DeliveryLogRepository(Db db) {
        this.db = db;
    }

    /** Lists deliveries newest first, only those in {@code status} unless it is null. */
    public List<Entry> list(String merchantId, Environment environment, String status, int limit, long offset) {
        List<Object> parameters = new ArrayList<>(List.of(merchantId, environment));
        String filter = "";
        if (status != null) {
            filter = " AND d.status = ?";
            parameters.add(status);
        }
        parameters.add(limit);
        parameters.add(offset);
        return db.list(SELECT + filter + " ORDER BY d.created_at DESC, d.id DESC LIMIT ? OFFSET ?",
                DeliveryLogRepository::map, parameters.toArray());
    }

    public long count(String merchantId, Environment environment, String status) {
        String sql = """
                SELECT count(*) FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE e.merchant_id = ? AND e.environment = ? AND e.deleted_at IS NULL
                """;
        if (status == null) {
            return db.one(sql, row -> row.getLong(1), merchantId, environment).orElse(0L);
        }
        return db.one(sql + " AND d.status = ?", row -> row.getLong(1), merchantId, environment, status).orElse(0L);
    }

    /**
     * Finds and locks the deliveries whose id, or else whose event id, is {@code id}. An event
     * has one delivery per endpoint, so an event id may match several.
     */
    List<Entry> lockByDeliveryOrEventId(String merchantId, Environment environment, UUID id) {
        List<Entry> byDelivery = db.list(SELECT + " AND d.id = ? FOR UPDATE OF d", DeliveryLogRepository::map,
                merchantId, environment, id);
        if (!byDelivery.isEmpty()) {
            return byDelivery;
        }
        return db.list(SELECT + " AND d.event_id = ? FOR UPDATE OF d", DeliveryLogRepository::map, merchantId,
                environment, id);
    }

    /** Puts a delivery back in the queue as new: due now, no attempts counted, no failure recorded. */
    Entry resetForReplay(Entry delivery, Instant now) {
        db.update("""
                UPDATE webhook_deliveries SET status = 'PENDING', attempts = 0, next_attempt_at = ?, lease_until = NULL,
                    failure_reason = NULL, delivered_at = NULL, replayed_at = ?, updated_at = ?
                WHERE id = ?
                """, now, now, now, delivery.id());
        return new Entry(delivery.id(), delivery.eventId(), delivery.endpoint(), delivery.topic(), delivery.payload(),
                "PENDING", null, 0, delivery.createdAt(), now);
    }

    private static Entry map(ResultSet row) throws SQLException {
        return new Entry(row.getObject("delivery_id", UUID.class), row.getObject("event_id", UUID.class),
                WebhookEndpoint.map(row), row.getString("topic"), row.getString("payload"),
                row.getString("delivery_status"), row.getString("failure_reason"), row.getInt("attempts"),
                Db.instant(row, "delivery_created_at"), Db.instant(row, "delivery_updated_at"));
    }
}
