package co.malipo.api.webhook;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.api.auth.KeyAuthenticator;
import co.malipo.api.error.ApiException;
import co.malipo.api.payment.ContentTypes;
import co.malipo.api.payment.JsonBodies;
import co.malipo.core.merchant.ApiKey;
import co.malipo.core.webhook.DeliveryLogRepository;
import co.malipo.core.webhook.WebhookEndpoint;
import co.malipo.core.webhook.WebhookEndpointRepository;
import co.malipo.core.webhook.WebhookEndpointService;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Webhook endpoint management and the delivery log. Every call needs the secret key and reaches
 * only the endpoints and deliveries of that key's merchant and environment, so another
 * merchant's id is a 404. Signing secrets and challenges appear only in the create response and
 * a new secret only in the rotate response.
 */
@Path("/api/v1/webhooks")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class WebhookResource {

    static final String ENDPOINT_NOT_FOUND =
            "Not found. No webhook endpoint with this id belongs to your account in this environment.";
    static final String DELIVERY_NOT_FOUND =
            "Not found. No webhook delivery or event with this id belongs to your account in this environment.";
    private static final String EXAMPLE = "{\"endpoint\": \"https://shop.example.com/webhooks/malipo\"}";
    private static final Pattern ENDPOINT_ID = Pattern.compile("whk_[0-9A-Z]{10}");

    private final KeyAuthenticator authenticator;
    private final WebhookEndpointService service;
    private final WebhookEndpointRepository endpoints;
    private final DeliveryLogRepository deliveryLog;

    public WebhookResource(KeyAuthenticator authenticator, WebhookEndpointService service,
            WebhookEndpointRepository endpoints, DeliveryLogRepository deliveryLog) {
        this.authenticator = authenticator;
        this.service = service;
        this.endpoints = endpoints;
        this.deliveryLog = deliveryLog;
    }

    @GET
    @Path("/")
    @Operation(summary = "List webhook endpoints", description = "Oldest first, 50 per page.")
    public Response list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("page") String page, @Context UriInfo uri) {
        ApiKey key = authenticator.requireSecret(authorization);
        int number = Pages.number(page);
        long count = endpoints.count(key.merchantId(), key.environment());
        List<Map<String, Object>> results = endpoints
                .list(key.merchantId(), key.environment(), Pages.PAGE_SIZE, Pages.offset(number)).stream()
                .map(WebhookViews::endpoint).toList();
        return ok(Pages.body(uri, number, count, results));
    }

    @POST
    @Path("/")
    @Operation(summary = "Create a webhook endpoint",
            description = "The response is the only one that shows signing_secret and challenge.")
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        ApiKey key = authenticator.requireSecret(authorization);
        ContentTypes.requireJson(contentType);
        ObjectNode request = JsonBodies.object(body, EXAMPLE);
        WebhookEndpointService.Created created = service.create(key.merchantId(), key.environment(), request);
        Map<String, Object> view = WebhookViews.endpoint(created.endpoint());
        view.put("challenge", created.challenge());
        view.put("signing_secret", created.signingSecret());
        return Response.status(201).entity(JsonBodies.write(view)).build();
    }

    @GET
    @Path("/{id}/")
    @Operation(summary = "Read a webhook endpoint")
    public Response get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        ApiKey key = authenticator.requireSecret(authorization);
        WebhookEndpoint endpoint = endpoints.find(key.merchantId(), key.environment(), endpointId(id))
                .orElseThrow(WebhookResource::endpointNotFound);
        return ok(WebhookViews.endpoint(endpoint));
    }

    @PATCH
    @Path("/{id}/")
    @Operation(summary = "Change a webhook endpoint",
            description = "Takes endpoint, challenge, the event flags and is_active. Setting is_active to true"
                    + " re-enables a disabled endpoint and clears its failure count.")
    public Response update(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        ApiKey key = authenticator.requireSecret(authorization);
        String endpointId = endpointId(id);
        ContentTypes.requireJson(contentType);
        ObjectNode request = JsonBodies.object(body, EXAMPLE);
        WebhookEndpoint endpoint = service.update(key.merchantId(), key.environment(), endpointId, request)
                .orElseThrow(WebhookResource::endpointNotFound);
        return ok(WebhookViews.endpoint(endpoint));
    }

    @DELETE
    @Path("/{id}/")
    @Operation(summary = "Delete a webhook endpoint",
            description = "Stops its deliveries and removes it and its deliveries from every list.")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        ApiKey key = authenticator.requireSecret(authorization);
        String endpointId = endpointId(id);
        service.delete(key.merchantId(), key.environment(), endpointId).orElseThrow(WebhookResource::endpointNotFound);
        return ok(Map.of("detail", "Webhook endpoint " + endpointId + " deleted."));
    }

    @POST
    @Path("/{id}/rotate-secret/")
    @Operation(summary = "Rotate a webhook endpoint's signing secret",
            description = "Returns the new secret once. Deliveries carry signatures by both secrets until"
                    + " malipo.webhooks.rotation-overlap (24 h by default) has passed.")
    public Response rotateSecret(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("id") String id) {
        ApiKey key = authenticator.requireSecret(authorization);
        WebhookEndpointService.Rotated rotated = service.rotateSecret(key.merchantId(), key.environment(),
                endpointId(id)).orElseThrow(WebhookResource::endpointNotFound);
        Map<String, Object> view = WebhookViews.endpoint(rotated.endpoint());
        view.put("signing_secret", rotated.signingSecret());
        return ok(view);
    }

    @GET
    @Path("/events/")
    @Operation(summary = "List webhook deliveries",
            description = "Newest first, 50 per page; ?status= filters by PENDING, PROCESSING, DELIVERED, FAILED or"
                    + " SUPERSEDED.")
    public Response events(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @QueryParam("page") String page, @QueryParam("status") String status, @Context UriInfo uri) {
        ApiKey key = authenticator.requireSecret(authorization);
        String statusFilter = status(status);
        int number = Pages.number(page);
        long count = deliveryLog.count(key.merchantId(), key.environment(), statusFilter);
        List<Map<String, Object>> results = deliveryLog
                .list(key.merchantId(), key.environment(), statusFilter, Pages.PAGE_SIZE, Pages.offset(number))
                .stream().map(WebhookViews::delivery).toList();
        return ok(Pages.body(uri, number, count, results));
    }

    @POST
    @Path("/events/{id}/replay/")
    @Operation(summary = "Send a webhook delivery again",
            description = "Takes a delivery id, or an event id that was delivered to one endpoint only. The"
                    + " delivery is queued at once with its original event id and payload.")
    public Response replay(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") String id) {
        ApiKey key = authenticator.requireSecret(authorization);
        UUID deliveryId = uuid(id);
        WebhookEndpointService.Replay replay = service.replay(key.merchantId(), key.environment(), deliveryId);
        return switch (replay.outcome()) {
            case REPLAYED -> ok(WebhookViews.delivery(replay.delivery()));
            case NOT_FOUND -> throw ApiException.detail(404, DELIVERY_NOT_FOUND);
            case AMBIGUOUS -> throw ApiException.detail(400, "This event went to several endpoints. Replay one"
                    + " delivery by its id, the id field in GET /api/v1/webhooks/events/.");
            case IN_FLIGHT -> throw ApiException.detail(409, "This delivery is being sent right now. Wait for the"
                    + " attempt to finish, then replay it.");
            case ENDPOINT_INACTIVE -> throw ApiException.detail(409, "Webhook endpoint "
                    + replay.delivery().endpoint().id() + " is disabled. Re-enable it first with PATCH"
                    + " /api/v1/webhooks/" + replay.delivery().endpoint().id() + "/ and {\"is_active\": true},"
                    + " then replay.");
        };
    }

    /** Reads {@code ?status=} in any letter case. */
    private static String status(String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        String upper = status.toUpperCase(Locale.ROOT);
        if (!DeliveryLogRepository.STATUSES.contains(upper)) {
            throw ApiException.field("status", "Select a valid choice: one of "
                    + String.join(", ", DeliveryLogRepository.STATUSES) + ".");
        }
        return upper;
    }

    /** Checks the id's shape, so that an id that cannot exist is a 404 without a query. */
    private static String endpointId(String id) {
        if (id == null || !ENDPOINT_ID.matcher(id).matches()) {
            throw endpointNotFound();
        }
        return id;
    }

    private static UUID uuid(String id) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // Falls through to the 404 below.
        }
        throw ApiException.detail(404, DELIVERY_NOT_FOUND);
    }

    private static ApiException endpointNotFound() {
        return ApiException.detail(404, ENDPOINT_NOT_FOUND);
    }

    private static Response ok(Object body) {
        return Response.ok(JsonBodies.write(body)).build();
    }
}
