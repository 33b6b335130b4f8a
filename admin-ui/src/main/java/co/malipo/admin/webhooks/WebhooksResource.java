package co.malipo.admin.webhooks;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.admin.AdminConfig;
import co.malipo.admin.auth.CurrentUser;
import co.malipo.admin.auth.Role;
import co.malipo.admin.invoices.MerchantNames;
import co.malipo.admin.web.Pages;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Failed webhook deliveries across merchants with bulk replay, and the health of endpoints.
 * Everyone signed in may read, and ADMIN and FINANCE may replay and re-enable endpoints.
 */
@Path("/webhooks")
@RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME, Role.SUPPORT_NAME })
public class WebhooksResource {

    /** Maximum number of endpoints the health page lists. */
    static final int HEALTH_LIMIT = 500;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance failed(String merchant, String endpoint, List<WebhookDirectory.FailedDelivery> rows,
                String next, List<MerchantNames.Entry> merchants, String notice, String error);

        static native TemplateInstance endpoints(List<WebhookDirectory.Endpoint> endpoints, String notice);
    }

    private final WebhookDirectory directory;
    private final BulkReplay bulkReplay;
    private final EndpointActions endpointActions;
    private final MerchantNames merchantNames;
    private final CurrentUser me;
    private final AdminConfig config;

    public WebhooksResource(WebhookDirectory directory, BulkReplay bulkReplay, EndpointActions endpointActions,
            MerchantNames merchantNames, CurrentUser me, AdminConfig config) {
        this.directory = directory;
        this.bulkReplay = bulkReplay;
        this.endpointActions = endpointActions;
        this.merchantNames = merchantNames;
        this.me = me;
        this.config = config;
    }

    /**
     * Lists failed deliveries, most recently failed first, optionally of one merchant and one
     * endpoint. {@code replayed} and {@code skipped} are the counts of the replay that redirected here.
     */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response failed(@QueryParam("merchant") String merchant, @QueryParam("endpoint") String endpoint,
            @QueryParam("after") String after, @QueryParam("replayed") String replayed,
            @QueryParam("skipped") String skipped) {
        String merchantId = blankToNull(merchant);
        String endpointId = blankToNull(endpoint);
        WebhookDirectory.Cursor cursor = null;
        if (after != null && !after.isBlank()) {
            cursor = WebhookDirectory.Cursor.decode(after).orElse(null);
            if (cursor == null) {
                return Response.status(Response.Status.BAD_REQUEST).entity(render(merchantId, endpointId,
                        new WebhookDirectory.Page(List.of(), null), null,
                        "The page link is invalid. Start again from the first page.")).build();
            }
        }
        WebhookDirectory.Page page = directory.failed(merchantId, endpointId, cursor, config.pageSize());
        return Response.ok(render(merchantId, endpointId, page, replayNotice(replayed, skipped), null)).build();
    }

    /** Builds the confirmation of a replay from the counts in its redirect, or returns null when they are absent or not numbers. */
    static String replayNotice(String replayed, String skipped) {
        if (replayed == null || !replayed.matches("[0-9]{1,4}")) {
            return null;
        }
        String notice = replayed + " deliveries queued again, and the delivery worker sends them next.";
        if (skipped != null && skipped.matches("[0-9]{1,4}") && Integer.parseInt(skipped) > 0) {
            notice += " " + skipped + " skipped because they were no longer failed, were being sent, or their"
                    + " endpoint is disabled.";
        }
        return notice;
    }

    /** Replays the ticked deliveries ({@code delivery}, one value per box) and returns to the list. */
    @POST
    @Path("replay")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME })
    public Response replay(@FormParam("delivery") List<String> deliveries, @FormParam("merchant") String merchant,
            @FormParam("endpoint") String endpoint) {
        String merchantId = blankToNull(merchant);
        String endpointId = blankToNull(endpoint);
        LinkedHashSet<java.util.UUID> ids = new LinkedHashSet<>();
        List<String> invalid = new ArrayList<>();
        for (String value : deliveries == null ? List.<String>of() : deliveries) {
            try {
                ids.add(java.util.UUID.fromString(value.trim()));
            } catch (IllegalArgumentException e) {
                invalid.add(value);
            }
        }
        String error = null;
        if (!invalid.isEmpty()) {
            error = "delivery: " + String.join(", ", invalid) + " is not a delivery id. Tick deliveries in the list.";
        } else if (ids.isEmpty()) {
            error = "delivery: no delivery is selected. Tick the deliveries to replay.";
        } else if (ids.size() > BulkReplay.MAX_SELECTED) {
            error = "delivery: " + ids.size() + " deliveries are selected; replay at most " + BulkReplay.MAX_SELECTED
                    + " at once.";
        }
        if (error != null) {
            WebhookDirectory.Page page = directory.failed(merchantId, endpointId, null, config.pageSize());
            return Response.status(Response.Status.BAD_REQUEST).entity(render(merchantId, endpointId, page, null,
                    error)).build();
        }
        BulkReplay.Result result = bulkReplay.replay(List.copyOf(ids), me.username(), me.clientIp());
        StringBuilder target = new StringBuilder("/webhooks?replayed=").append(result.replayed().size())
                .append("&skipped=").append(result.skipped().size());
        if (merchantId != null) {
            target.append("&merchant=").append(encode(merchantId));
        }
        if (endpointId != null) {
            target.append("&endpoint=").append(encode(endpointId));
        }
        return Pages.seeOther(target.toString());
    }

    /** Lists disabled endpoints and endpoints whose latest attempts failed. */
    @GET
    @Path("endpoints")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance endpoints(@QueryParam("done") String done) {
        String notice = "enabled".equals(done) ? "Endpoint re-enabled; its pending deliveries are due again." : null;
        return Templates.endpoints(directory.unhealthy(HEALTH_LIMIT), notice);
    }

    /** Re-enables an endpoint and clears its failure count. Events from while it was disabled are not sent. */
    @POST
    @Path("endpoints/{id}/enable")
    @RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME })
    public Response enable(@PathParam("id") String id) {
        if (endpointActions.setActive(id, true, me.username(), me.clientIp()).isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                    .entity("Webhook endpoint " + id + " was not found or is deleted.").build();
        }
        return Pages.seeOther("/webhooks/endpoints?done=enabled");
    }

    private TemplateInstance render(String merchantId, String endpointId, WebhookDirectory.Page page, String notice,
            String error) {
        String next = null;
        if (page.next() != null) {
            StringBuilder link = new StringBuilder("/webhooks?");
            if (merchantId != null) {
                link.append("merchant=").append(encode(merchantId)).append('&');
            }
            if (endpointId != null) {
                link.append("endpoint=").append(encode(endpointId)).append('&');
            }
            // The cursor has only letters, digits and ":.-_", which a query string carries as they are.
            next = link.append("after=").append(page.next().encode()).toString();
        }
        return Templates.failed(merchantId == null ? "" : merchantId, endpointId == null ? "" : endpointId,
                page.rows(), next, merchantNames.list(), notice, error);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
