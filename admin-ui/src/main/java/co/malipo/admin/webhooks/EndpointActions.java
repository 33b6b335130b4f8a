package co.malipo.admin.webhooks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.admin.audit.AuditLog;
import co.malipo.core.merchant.Environment;
import co.malipo.core.webhook.WebhookEndpoint;
import co.malipo.core.webhook.WebhookEndpointService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/**
 * Creates, disables, re-enables and deletes merchants' webhook endpoints through core's
 * {@link WebhookEndpointService}, which validates the URL and wakes the delivery worker, and
 * writes each change to the audit log. The service commits the change in its own transaction,
 * so the audit entry follows in a second one.
 */
@ApplicationScoped
public class EndpointActions {

    private static final Logger LOG = Logger.getLogger(EndpointActions.class);

    private final WebhookEndpointService endpoints;
    private final WebhookDirectory directory;
    private final AuditLog audit;

    public EndpointActions(WebhookEndpointService endpoints, WebhookDirectory directory, AuditLog audit) {
        this.endpoints = endpoints;
        this.directory = directory;
        this.audit = audit;
    }

    /**
     * Creates an endpoint that receives collection events. Returns it with its signing secret and
     * challenge, which are shown only this once. Throws
     * {@link co.malipo.core.invoice.ValidationException} for an invalid URL.
     */
    public WebhookEndpointService.Created create(String merchantId, Environment environment, String url, String actor,
            String clientIp) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("endpoint", url == null ? "" : url.trim());
        WebhookEndpointService.Created created = endpoints.create(merchantId, environment, request);
        WebhookEndpoint endpoint = created.endpoint();
        QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "WEBHOOK_ENDPOINT_CREATED",
                "webhook_endpoint", endpoint.id(), clientIp, null, state(endpoint), null));
        LOG.infof("User %s created webhook endpoint %s for merchant %s", actor, endpoint.id(), merchantId);
        return created;
    }

    /**
     * Disables or re-enables an endpoint. Re-enabling clears its failure count and makes its
     * pending deliveries due again, but events from while it was disabled are not sent. Returns
     * empty when the endpoint does not exist or is deleted.
     */
    public Optional<WebhookEndpoint> setActive(String endpointId, boolean active, String actor, String clientIp) {
        Optional<WebhookDirectory.Endpoint> before = directory.endpoint(endpointId);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        WebhookDirectory.Endpoint old = before.get();
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("is_active", active);
        Optional<WebhookEndpoint> updated = endpoints.update(old.merchantId(), old.environment(), endpointId, request);
        updated.ifPresent(endpoint -> {
            QuarkusTransaction.requiringNew().run(() -> audit.record(actor,
                    active ? "WEBHOOK_ENDPOINT_ENABLED" : "WEBHOOK_ENDPOINT_DISABLED", "webhook_endpoint", endpointId,
                    clientIp, state(old), state(endpoint), null));
            LOG.infof("User %s %s webhook endpoint %s of merchant %s", actor, active ? "re-enabled" : "disabled",
                    endpointId, old.merchantId());
        });
        return updated;
    }

    /** Deletes an endpoint. Its deliveries stay stored but are no longer sent or listed. Returns empty when it does not exist. */
    public Optional<WebhookEndpoint> delete(String endpointId, String actor, String clientIp) {
        Optional<WebhookDirectory.Endpoint> before = directory.endpoint(endpointId);
        if (before.isEmpty()) {
            return Optional.empty();
        }
        WebhookDirectory.Endpoint old = before.get();
        Optional<WebhookEndpoint> deleted = endpoints.delete(old.merchantId(), old.environment(), endpointId);
        deleted.ifPresent(endpoint -> {
            QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "WEBHOOK_ENDPOINT_DELETED",
                    "webhook_endpoint", endpointId, clientIp, state(old), null, null));
            LOG.infof("User %s deleted webhook endpoint %s of merchant %s", actor, endpointId, old.merchantId());
        });
        return deleted;
    }

    private static Map<String, Object> state(WebhookEndpoint endpoint) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("merchant_id", endpoint.merchantId());
        state.put("environment", endpoint.environment().name());
        state.put("url", endpoint.url());
        state.put("is_active", endpoint.active());
        state.put("consecutive_failures", endpoint.consecutiveFailures());
        state.put("events", List.copyOf(endpoint.events().entrySet().stream().filter(Map.Entry::getValue)
                .map(Map.Entry::getKey).sorted().toList()));
        return state;
    }

    private static Map<String, Object> state(WebhookDirectory.Endpoint endpoint) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("merchant_id", endpoint.merchantId());
        state.put("environment", endpoint.environment().name());
        state.put("url", endpoint.url());
        state.put("is_active", endpoint.active());
        state.put("consecutive_failures", endpoint.consecutiveFailures());
        state.put("disabled_at", endpoint.disabledAt() == null ? null : endpoint.disabledAt().toString());
        return state;
    }
}
