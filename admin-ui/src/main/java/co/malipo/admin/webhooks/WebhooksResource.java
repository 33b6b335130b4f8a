package co.malipo.admin.webhooks;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.admin.AdminConfig;
import co.malipo.admin.audit.AuditLog;
import co.malipo.admin.auth.CurrentUser;
import co.malipo.admin.auth.Role;
import co.malipo.core.webhook.WebhookEndpoint;
import co.malipo.core.webhook.WebhookEndpointService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Failed webhook deliveries across merchants with bulk replay, and endpoint health with re-enable. */
@Path("/webhooks")
@RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME, Role.SUPPORT_NAME })
public class WebhooksResource {

    /** Largest number of deliveries one bulk replay accepts. */
    static final int MAX_BULK_REPLAY = 200;
    static final int ENDPOINT_LIMIT = 200;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance webhooks(List<WebhookOverview.FailedDelivery> failed, String next,
                List<WebhookOverview.Endpoint> endpoints, String notice, String error);
    }

    private final WebhookOverview overview;
    private final WebhookEndpointService endpoints;
    private final AuditLog audit;
    private final CurrentUser me;
    private final AdminConfig config;

    public WebhooksResource(WebhookOverview overview, WebhookEndpointService endpoints, AuditLog audit,
            CurrentUser me, AdminConfig config) {
        this.overview = overview;
        this.endpoints = endpoints;
        this.audit = audit;
        this.me = me;
        this.config = config;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@QueryParam("before") String before) {
        Instant beforeAt = null;
        UUID beforeId = null;
        if (before != null && !before.isBlank()) {
            int separator = before.lastIndexOf('_');
            try {
                beforeAt = Instant.parse(before.substring(0, Math.max(separator, 0)));
                beforeId = UUID.fromString(before.substring(separator + 1));
            } catch (DateTimeParseException | IllegalArgumentException | StringIndexOutOfBoundsException e) {
                return Response.status(Response.Status.BAD_REQUEST)
                        .entity(render(null, null, null, "The page link is invalid. Start from the first page."))
                        .build();
            }
        }
        return Response.ok(render(beforeAt, beforeId, null, null)).build();
    }

    /** Queues the selected failed deliveries again, each with its original event id and payload. */
    @POST
    @Path("replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME })
    public Response bulkReplay(@FormParam("delivery") List<String> deliveryIds) {
        if (deliveryIds == null || deliveryIds.isEmpty()) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(render(null, null, null, "Select at least one delivery to replay.")).build();
        }
        if (deliveryIds.size() > MAX_BULK_REPLAY) {
            return Response.status(Response.Status.BAD_REQUEST).entity(render(null, null, null, "Selected "
                    + deliveryIds.size() + " deliveries; replay at most " + MAX_BULK_REPLAY + " at once.")).build();
        }
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        List<String> invalid = new ArrayList<>();
        for (String text : deliveryIds) {
            UUID id;
            try {
                id = UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                invalid.add(text);
                continue;
            }
            Optional<WebhookOverview.Owner> owner = overview.ownerOfDelivery(id);
            if (owner.isEmpty()) {
                outcomes.merge("NOT_FOUND", 1, Integer::sum);
                continue;
            }
            WebhookEndpointService.Replay replay = endpoints.replay(owner.get().merchantId(),
                    owner.get().environment(), id);
            outcomes.merge(replay.outcome().name(), 1, Integer::sum);
            if (replay.outcome() == WebhookEndpointService.ReplayOutcome.REPLAYED) {
                String actor = me.username();
                String clientIp = me.clientIp();
                QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "WEBHOOK_REPLAYED", "invoice",
                        owner.get().invoiceId(), clientIp, null, Map.of("delivery_id", id.toString(), "event_id",
                                replay.delivery().eventId().toString(), "bulk", true), null));
            }
        }
        StringBuilder notice = new StringBuilder("Replay results:");
        outcomes.forEach((outcome, count) -> notice.append(' ').append(outcome).append(' ').append(count));
        String error = invalid.isEmpty() ? null : "Invalid delivery ids were skipped: " + String.join(", ", invalid);
        return Response.status(error == null ? 200 : 400).entity(render(null, null, notice.toString(), error)).build();
    }

    /** Re-enables a disabled endpoint; its pending deliveries become due again. */
    @POST
    @Path("endpoints/{endpointId}/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME })
    public Response enable(@PathParam("endpointId") String endpointId) {
        Optional<WebhookOverview.Owner> owner = overview.ownerOfEndpoint(endpointId);
        if (owner.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                    .entity("Webhook endpoint " + endpointId + " was not found.").build();
        }
        ObjectNode change = JsonMapper.builder().build().createObjectNode().put("is_active", true);
        Optional<WebhookEndpoint> updated = endpoints.update(owner.get().merchantId(), owner.get().environment(),
                endpointId, change);
        String actor = me.username();
        String clientIp = me.clientIp();
        QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "WEBHOOK_ENDPOINT_ENABLED",
                "webhook_endpoint", endpointId, clientIp, Map.of("is_active", false),
                Map.of("is_active", updated.map(WebhookEndpoint::active).orElse(false)), null));
        return Response.ok(render(null, null, "Endpoint " + endpointId + " is enabled again.", null)).build();
    }

    private TemplateInstance render(Instant beforeAt, UUID beforeId, String notice, String error) {
        int size = config.pageSize();
        List<WebhookOverview.FailedDelivery> fetched = overview.failed(beforeAt, beforeId, size + 1);
        List<WebhookOverview.FailedDelivery> failed = fetched.size() > size ? fetched.subList(0, size) : fetched;
        String next = null;
        if (fetched.size() > size) {
            WebhookOverview.FailedDelivery last = failed.get(size - 1);
            next = last.updatedAt() + "_" + last.id();
        }
        return Templates.webhooks(failed, next, overview.unhealthyEndpoints(ENDPOINT_LIMIT), notice, error);
    }
}
