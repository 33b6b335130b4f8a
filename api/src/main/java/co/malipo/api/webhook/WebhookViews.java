package co.malipo.api.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

import co.malipo.core.invoice.InvoiceView;
import co.malipo.core.webhook.DeliveryLogRepository;
import co.malipo.core.webhook.WebhookEndpoint;

/** JSON shapes of webhook endpoints and deliveries, field-compatible with KulmiPay's webhook objects. */
final class WebhookViews {

    private WebhookViews() {
    }

    /** Builds the JSON object of an endpoint, without its secrets or challenge. */
    static Map<String, Object> endpoint(WebhookEndpoint endpoint) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", endpoint.id());
        view.put("endpoint", endpoint.url());
        view.put("is_active", endpoint.active());
        for (String flag : WebhookEndpoint.EVENT_FLAGS) {
            view.put(flag, endpoint.events().get(flag));
        }
        view.put("failures_count", endpoint.consecutiveFailures());
        view.put("disabled_at", InvoiceView.timestamp(endpoint.disabledAt()));
        view.put("created_at", InvoiceView.timestamp(endpoint.createdAt()));
        view.put("updated_at", InvoiceView.timestamp(endpoint.updatedAt()));
        return view;
    }

    /**
     * Builds the JSON object of a delivery. Its {@code failure_reason} is null unless the delivery
     * has FAILED for good.
     */
    static Map<String, Object> delivery(DeliveryLogRepository.Entry delivery) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", delivery.id().toString());
        view.put("event_id", delivery.eventId().toString());
        view.put("webhook", endpoint(delivery.endpoint()));
        view.put("topic", delivery.topic());
        view.put("payload", delivery.payload());
        view.put("status", delivery.status());
        view.put("failure_reason", "FAILED".equals(delivery.status()) ? delivery.failureReason() : null);
        view.put("attempts", delivery.attempts());
        view.put("created_at", InvoiceView.timestamp(delivery.createdAt()));
        view.put("updated_at", InvoiceView.timestamp(delivery.updatedAt()));
        return view;
    }
}
