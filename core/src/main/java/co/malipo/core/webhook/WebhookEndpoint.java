package co.malipo.core.webhook;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;

/**
 * A merchant's webhook endpoint as the API shows it. The signing secrets and the challenge are
 * left out on purpose, because they are returned only once.
 *
 * @param events each event flag of {@link #EVENT_FLAGS} with its value, in that order
 */
public record WebhookEndpoint(String id, String merchantId, Environment environment, String url,
        Map<String, Boolean> events, boolean active, int consecutiveFailures, Instant disabledAt, Instant createdAt,
        Instant updatedAt) {

    /** The event flags, named as the API fields and the table columns are. */
    public static final List<String> EVENT_FLAGS = List.of(WebhookOutbox.COLLECTION_EVENT, "send_money_event",
            "reversal_event", "wallet_transfer_event", "subscription_event");

    /** Maps a row holding every column of {@code webhook_endpoints}. */
    static WebhookEndpoint map(ResultSet row) throws SQLException {
        Map<String, Boolean> events = new LinkedHashMap<>();
        for (String flag : EVENT_FLAGS) {
            events.put(flag, row.getBoolean(flag));
        }
        return new WebhookEndpoint(row.getString("id"), row.getString("merchant_id"),
                Environment.valueOf(row.getString("environment")), row.getString("url"), Map.copyOf(events),
                row.getBoolean("is_active"), row.getInt("consecutive_failures"), Db.instant(row, "disabled_at"),
                Db.instant(row, "created_at"), Db.instant(row, "updated_at"));
    }
}
