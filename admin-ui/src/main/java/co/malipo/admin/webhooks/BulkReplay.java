package co.malipo.admin.webhooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.admin.audit.AuditLog;
import co.malipo.core.webhook.WebhookEndpointService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/**
 * Replays a selection of failed deliveries through core's {@link WebhookEndpointService#replay},
 * which queues each one again with its original event id and payload and wakes the delivery
 * worker. Each replayed delivery gets its own audit entry, written right after core's
 * transaction commits the replay, because the service opens its own transaction.
 */
@ApplicationScoped
public class BulkReplay {

    private static final Logger LOG = Logger.getLogger(BulkReplay.class);

    /** Maximum number of deliveries that one request replays. */
    public static final int MAX_SELECTED = 200;

    /** The deliveries that were queued again, and those that were not with the reason. */
    public record Result(List<UUID> replayed, Map<UUID, String> skipped) {
    }

    private final WebhookDirectory directory;
    private final WebhookEndpointService endpoints;
    private final AuditLog audit;

    public BulkReplay(WebhookDirectory directory, WebhookEndpointService endpoints, AuditLog audit) {
        this.directory = directory;
        this.endpoints = endpoints;
        this.audit = audit;
    }

    /** Replays the deliveries among {@code ids} that are still failed. The others are skipped with a reason. */
    public Result replay(List<UUID> ids, String actor, String clientIp) {
        Map<UUID, WebhookDirectory.FailedDelivery> failed = new LinkedHashMap<>();
        directory.failedByIds(ids).forEach(delivery -> failed.put(delivery.id(), delivery));
        List<UUID> replayed = new ArrayList<>();
        Map<UUID, String> skipped = new LinkedHashMap<>();
        for (UUID id : ids) {
            WebhookDirectory.FailedDelivery delivery = failed.get(id);
            if (delivery == null) {
                skipped.put(id, "not a failed delivery any more (already replayed, delivered or its endpoint deleted)");
                continue;
            }
            WebhookEndpointService.Replay replay = endpoints.replay(delivery.merchantId(), delivery.environment(), id);
            switch (replay.outcome()) {
                case REPLAYED -> {
                    replayed.add(id);
                    QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "WEBHOOK_REPLAYED",
                            "webhook_delivery", id.toString(), clientIp, before(delivery), after(delivery), null));
                }
                case ENDPOINT_INACTIVE -> skipped.put(id, "its endpoint is disabled; re-enable the endpoint first");
                case IN_FLIGHT -> skipped.put(id, "it is being sent right now");
                case NOT_FOUND, AMBIGUOUS -> skipped.put(id, "it was not found");
            }
        }
        LOG.infof("User %s replayed %d failed webhook deliveries; %d skipped", actor, replayed.size(), skipped.size());
        return new Result(replayed, skipped);
    }

    private static Map<String, Object> before(WebhookDirectory.FailedDelivery delivery) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", "FAILED");
        state.put("attempts", delivery.attempts());
        state.put("failure_reason", delivery.failureReason());
        state.put("event_id", delivery.eventId().toString());
        state.put("endpoint_id", delivery.endpointId());
        state.put("merchant_id", delivery.merchantId());
        return state;
    }

    private static Map<String, Object> after(WebhookDirectory.FailedDelivery delivery) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", "PENDING");
        state.put("attempts", 0);
        state.put("event_id", delivery.eventId().toString());
        state.put("endpoint_id", delivery.endpointId());
        return state;
    }
}
