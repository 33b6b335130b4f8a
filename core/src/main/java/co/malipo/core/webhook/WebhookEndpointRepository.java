package co.malipo.core.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;

/**
 * Merchants' webhook endpoints. Every read and write names the merchant and environment, so a
 * caller can never reach another merchant's endpoint, and deleted endpoints are never found.
 */
@ApplicationScoped
public class WebhookEndpointRepository {

    private static final String OWNED = " WHERE id = ? AND merchant_id = ? AND environment = ? AND deleted_at IS NULL";

    /** Changes to apply. A null field leaves its column unchanged. */
    public record Changes(String url, String challenge, Map<String, Boolean> events, Boolean active) {
    }

    private final Db db;

    public WebhookEndpointRepository(Db db) {
        this.db = db;
    }

    public WebhookEndpoint insert(String id, String merchantId, Environment environment, String url, String challenge,
            String signingSecret, Map<String, Boolean> events, boolean active, Instant now) {
        return db.one("""
                INSERT INTO webhook_endpoints (id, merchant_id, environment, url, challenge, signing_secret,
                    collection_event, send_money_event, reversal_event, wallet_transfer_event, subscription_event,
                    is_active, disabled_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING *
                """, WebhookEndpoint::map, id, merchantId, environment, url, challenge, signingSecret,
                events.get("collection_event"), events.get("send_money_event"), events.get("reversal_event"),
                events.get("wallet_transfer_event"), events.get("subscription_event"), active, active ? null : now,
                now, now).orElseThrow();
    }

    public Optional<WebhookEndpoint> find(String merchantId, Environment environment, String id) {
        return db.one("SELECT * FROM webhook_endpoints" + OWNED, WebhookEndpoint::map, id, merchantId, environment);
    }

    /** Lists endpoints oldest first, as a stable order for paging. */
    public List<WebhookEndpoint> list(String merchantId, Environment environment, int limit, long offset) {
        return db.list("""
                SELECT * FROM webhook_endpoints
                WHERE merchant_id = ? AND environment = ? AND deleted_at IS NULL
                ORDER BY created_at, id LIMIT ? OFFSET ?
                """, WebhookEndpoint::map, merchantId, environment, limit, offset);
    }

    public long count(String merchantId, Environment environment) {
        return db.one("SELECT count(*) FROM webhook_endpoints WHERE merchant_id = ? AND environment = ?"
                + " AND deleted_at IS NULL", row -> row.getLong(1), merchantId, environment).orElse(0L);
    }

    /**
     * Applies the changes. Re-enabling an inactive endpoint also clears its failure count, warning
     * and disable time. Disabling an active one records the time.
     */
    public Optional<WebhookEndpoint> update(String merchantId, Environment environment, String id, Changes changes,
            Instant now) {
        List<String> assignments = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (changes.url() != null) {
            assignments.add("url = ?");
            parameters.add(changes.url());
        }
        if (changes.challenge() != null) {
            assignments.add("challenge = ?");
            parameters.add(changes.challenge());
        }
        for (String flag : WebhookEndpoint.EVENT_FLAGS) {
            Boolean value = changes.events().get(flag);
            if (value != null) {
                // The column name comes from the fixed list of flags, never from the request.
                assignments.add(flag + " = ?");
                parameters.add(value);
            }
        }
        if (Boolean.TRUE.equals(changes.active())) {
            assignments.add("consecutive_failures = CASE WHEN is_active THEN consecutive_failures ELSE 0 END");
            assignments.add("warned_at = CASE WHEN is_active THEN warned_at ELSE NULL END");
            assignments.add("disabled_at = NULL");
            assignments.add("is_active = true");
        } else if (Boolean.FALSE.equals(changes.active())) {
            assignments.add("disabled_at = CASE WHEN is_active THEN ? ELSE disabled_at END");
            parameters.add(now);
            assignments.add("is_active = false");
        }
        assignments.add("updated_at = ?");
        parameters.add(now);
        parameters.addAll(List.of(id, merchantId, environment));
        return db.one("UPDATE webhook_endpoints SET " + String.join(", ", assignments) + OWNED + " RETURNING *",
                WebhookEndpoint::map, parameters.toArray());
    }

    /** Soft-deletes an endpoint. Its deliveries stay in the database but are no longer sent or listed. */
    public Optional<WebhookEndpoint> delete(String merchantId, Environment environment, String id, Instant now) {
        return db.one("UPDATE webhook_endpoints SET deleted_at = ?, is_active = false, updated_at = ?" + OWNED
                + " RETURNING *", WebhookEndpoint::map, now, now, id, merchantId, environment);
    }

    /**
     * Replaces the signing secret. The old secret keeps signing alongside the new one until
     * {@code previousExpiresAt}. A second rotation within that time drops the oldest secret.
     */
    public Optional<WebhookEndpoint> rotateSecret(String merchantId, Environment environment, String id,
            String newSecret, Instant previousExpiresAt, Instant now) {
        return db.one("""
                UPDATE webhook_endpoints SET previous_signing_secret = signing_secret, signing_secret = ?,
                    previous_secret_expires_at = ?, updated_at = ?
                """ + OWNED + " RETURNING *", WebhookEndpoint::map, newSecret, previousExpiresAt, now, id, merchantId,
                environment);
    }
}
