package co.malipo.admin.merchants;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
import co.malipo.admin.web.Pages;
import co.malipo.admin.webhooks.EndpointActions;
import co.malipo.admin.webhooks.WebhookDirectory;
import co.malipo.core.channel.ChannelBusiness;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.merchant.Environment;
import co.malipo.core.webhook.WebhookEndpointService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The merchant list and each merchant's page: details, wallets, business numbers, API keys and
 * webhook endpoints. Everyone signed in may read, but only ADMIN may change anything. New keys and
 * signing secrets are shown once, on the page that the form redirects to.
 */
@Path("/merchants")
@RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME, Role.SUPPORT_NAME })
public class MerchantsResource {

    /** Confirmations shown after a redirect, by the {@code done} code it carries. */
    static final Map<String, String> DONE = Map.ofEntries(
            Map.entry("created", "Merchant created. Copy its keys now: they are not shown again."),
            Map.entry("edited", "Merchant saved."),
            Map.entry("business-added", "Business number added."),
            Map.entry("business-edited", "Business number saved."),
            Map.entry("business-removed", "Business number removed."),
            Map.entry("key-created", "Key created. Copy it now: it is not shown again."),
            Map.entry("key-rotated", "Key rotated: the old key is revoked. Copy the new key now: it is not shown"
                    + " again."),
            Map.entry("key-revoked", "Key revoked. A running api app may accept it for up to 30 seconds more."),
            Map.entry("endpoint-created", "Webhook endpoint created. Copy its signing secret now: it is not shown"
                    + " again."),
            Map.entry("endpoint-disabled", "Webhook endpoint disabled."),
            Map.entry("endpoint-enabled", "Webhook endpoint re-enabled."),
            Map.entry("endpoint-deleted", "Webhook endpoint deleted."));

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance merchants(String search, List<MerchantDirectory.Merchant> rows, String next,
                String error, String name);

        static native TemplateInstance merchant(MerchantDirectory.Merchant merchant,
                List<MerchantDirectory.WalletBalance> wallets, List<ChannelBusiness> businesses,
                List<MerchantDirectory.Key> keys, List<WebhookDirectory.Endpoint> endpoints,
                List<OneTimeSecrets.Secret> secrets, String done, String error);
    }

    private final MerchantDirectory directory;
    private final MerchantAdmin admin;
    private final WebhookDirectory webhooks;
    private final EndpointActions endpointActions;
    private final OneTimeSecrets secrets;
    private final CurrentUser me;
    private final AdminConfig config;

    public MerchantsResource(MerchantDirectory directory, MerchantAdmin admin, WebhookDirectory webhooks,
            EndpointActions endpointActions, OneTimeSecrets secrets, CurrentUser me, AdminConfig config) {
        this.directory = directory;
        this.admin = admin;
        this.webhooks = webhooks;
        this.endpointActions = endpointActions;
        this.secrets = secrets;
        this.me = me;
        this.config = config;
    }

    /**
     * Lists merchants by name. {@code q} matches part of the name or the whole id, and
     * {@code after} is the last merchant id of the previous page.
     */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response list(@QueryParam("q") String search, @QueryParam("after") String after) {
        String query = search == null ? "" : search.trim();
        MerchantDirectory.Cursor cursor = null;
        if (after != null && !after.isBlank()) {
            Optional<MerchantDirectory.Merchant> last = directory.find(after);
            if (last.isEmpty()) {
                return Response.status(Response.Status.BAD_REQUEST).entity(Templates.merchants(query, List.of(), null,
                        "The page link is invalid. Start again from the first page.", "")).build();
            }
            cursor = new MerchantDirectory.Cursor(last.get().name(), last.get().id());
        }
        MerchantDirectory.Page page = directory.page(query, cursor, config.pageSize());
        String next = page.next() == null ? null
                : "/merchants?" + (query.isEmpty() ? "" : "q=" + encode(query) + "&") + "after="
                        + encode(page.next().id());
        return Response.ok(Templates.merchants(query, page.rows(), next, null, "")).build();
    }

    @POST
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response create(@FormParam("name") String name, @FormParam("sms_receipts_for_api") String smsReceipts) {
        MerchantAdmin.Created created;
        try {
            created = admin.create(name, checked(smsReceipts), me.username(), me.clientIp());
        } catch (ValidationException e) {
            MerchantDirectory.Page page = directory.page("", null, config.pageSize());
            return Response.status(Response.Status.BAD_REQUEST).entity(Templates.merchants("", page.rows(), null,
                    MerchantAdmin.message(e), name == null ? "" : name)).build();
        }
        String ticket = secrets.hold(me.username(), created.keys());
        return Pages.seeOther("/merchants/" + created.merchantId() + "?done=created&secrets=" + ticket);
    }

    /** Shows a merchant. {@code secrets} is the ticket of keys or a signing secret just created, shown this once. */
    @GET
    @Path("{id}")
    @Produces(MediaType.TEXT_HTML)
    public Response show(@PathParam("id") String id, @QueryParam("done") String done,
            @QueryParam("secrets") String ticket) {
        Optional<MerchantDirectory.Merchant> merchant = directory.find(id);
        if (merchant.isEmpty()) {
            return notFound(id);
        }
        List<OneTimeSecrets.Secret> shown = secrets.take(ticket, me.username());
        return Response.ok(render(merchant.get(), shown, done == null ? null : DONE.get(done), null))
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("{id}")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response edit(@PathParam("id") String id, @FormParam("name") String name,
            @FormParam("sms_receipts_for_api") String smsReceipts) {
        try {
            if (!admin.edit(id, name, checked(smsReceipts), me.username(), me.clientIp())) {
                return notFound(id);
            }
        } catch (ValidationException e) {
            return backWithError(id, e);
        }
        return Pages.seeOther("/merchants/" + id + "?done=edited");
    }

    @POST
    @Path("{id}/businesses")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response addBusiness(@PathParam("id") String id, @FormParam("business_number") String number,
            @FormParam("environment") String environment, @FormParam("display_name") String displayName,
            @FormParam("needs_reference") String needsReference, @FormParam("reference_label") String label,
            @FormParam("default_language") String language) {
        if (directory.find(id).isEmpty()) {
            return notFound(id);
        }
        try {
            admin.addBusiness(id, number, environment, displayName, checked(needsReference), label, language,
                    me.username(), me.clientIp());
        } catch (ValidationException e) {
            return backWithError(id, e);
        }
        return Pages.seeOther("/merchants/" + id + "?done=business-added");
    }

    @POST
    @Path("{id}/businesses/{number}")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response editBusiness(@PathParam("id") String id, @PathParam("number") String number,
            @FormParam("display_name") String displayName, @FormParam("needs_reference") String needsReference,
            @FormParam("reference_label") String label, @FormParam("default_language") String language) {
        try {
            if (!admin.editBusiness(id, number, displayName, checked(needsReference), label, language, me.username(),
                    me.clientIp())) {
                return notFound(id + " business number " + number);
            }
        } catch (ValidationException e) {
            return backWithError(id, e);
        }
        return Pages.seeOther("/merchants/" + id + "?done=business-edited");
    }

    @POST
    @Path("{id}/businesses/{number}/remove")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response removeBusiness(@PathParam("id") String id, @PathParam("number") String number) {
        try {
            if (!admin.removeBusiness(id, number, me.username(), me.clientIp())) {
                return notFound(id + " business number " + number);
            }
        } catch (ValidationException e) {
            return backWithError(id, e);
        }
        return Pages.seeOther("/merchants/" + id + "?done=business-removed");
    }

    @POST
    @Path("{id}/keys")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response createKey(@PathParam("id") String id, @FormParam("environment") String environment,
            @FormParam("kind") String kind) {
        if (directory.find(id).isEmpty()) {
            return notFound(id);
        }
        OneTimeSecrets.Secret key;
        try {
            key = admin.createKey(id, environment, kind, me.username(), me.clientIp());
        } catch (ValidationException e) {
            return backWithError(id, e);
        }
        return Pages.seeOther("/merchants/" + id + "?done=key-created&secrets="
                + secrets.hold(me.username(), List.of(key)));
    }

    @POST
    @Path("{id}/keys/rotate")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response rotateKey(@PathParam("id") String id, @FormParam("key") String keyHash) {
        if (directory.find(id).isEmpty()) {
            return notFound(id);
        }
        OneTimeSecrets.Secret key;
        try {
            key = admin.rotateKey(id, keyHash, me.username(), me.clientIp());
        } catch (ValidationException e) {
            return backWithError(id, e);
        }
        return Pages.seeOther("/merchants/" + id + "?done=key-rotated&secrets="
                + secrets.hold(me.username(), List.of(key)));
    }

    @POST
    @Path("{id}/keys/revoke")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response revokeKey(@PathParam("id") String id, @FormParam("key") String keyHash) {
        if (directory.find(id).isEmpty()) {
            return notFound(id);
        }
        try {
            admin.revokeKey(id, keyHash, me.username(), me.clientIp());
        } catch (ValidationException e) {
            return backWithError(id, e);
        }
        return Pages.seeOther("/merchants/" + id + "?done=key-revoked");
    }

    @POST
    @Path("{id}/endpoints")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response createEndpoint(@PathParam("id") String id, @FormParam("environment") String rawEnvironment,
            @FormParam("url") String url) {
        if (directory.find(id).isEmpty()) {
            return notFound(id);
        }
        WebhookEndpointService.Created created;
        try {
            Map<String, List<String>> errors = new java.util.LinkedHashMap<>();
            Environment environment = MerchantAdmin.environment(rawEnvironment, errors);
            MerchantAdmin.throwIfAny(errors);
            created = endpointActions.create(id, environment, url, me.username(), me.clientIp());
        } catch (ValidationException e) {
            return backWithError(id, e);
        }
        String ticket = secrets.hold(me.username(), List.of(
                new OneTimeSecrets.Secret("Signing secret of " + created.endpoint().url(), created.signingSecret()),
                new OneTimeSecrets.Secret("Challenge of " + created.endpoint().url(), created.challenge())));
        return Pages.seeOther("/merchants/" + id + "?done=endpoint-created&secrets=" + ticket);
    }

    @POST
    @Path("{id}/endpoints/{endpointId}/{action}")
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response changeEndpoint(@PathParam("id") String id, @PathParam("endpointId") String endpointId,
            @PathParam("action") String action) {
        Optional<WebhookDirectory.Endpoint> endpoint = webhooks.endpoint(endpointId);
        if (endpoint.isEmpty() || !endpoint.get().merchantId().equals(id)) {
            return notFound(id + " webhook endpoint " + endpointId);
        }
        String actor = me.username();
        String clientIp = me.clientIp();
        boolean changed = switch (action) {
            case "disable" -> endpointActions.setActive(endpointId, false, actor, clientIp).isPresent();
            case "enable" -> endpointActions.setActive(endpointId, true, actor, clientIp).isPresent();
            case "delete" -> endpointActions.delete(endpointId, actor, clientIp).isPresent();
            default -> false;
        };
        if (!changed) {
            return notFound(id + " webhook endpoint " + endpointId + " action " + action);
        }
        return Pages.seeOther("/merchants/" + id + "?done=endpoint-" + (action.equals("delete") ? "deleted"
                : action.equals("enable") ? "enabled" : "disabled"));
    }

    private TemplateInstance render(MerchantDirectory.Merchant merchant, List<OneTimeSecrets.Secret> shown,
            String done, String error) {
        return Templates.merchant(merchant, directory.wallets(merchant.id()), directory.businesses(merchant.id()),
                directory.keys(merchant.id()), webhooks.endpointsOf(merchant.id()), shown, done, error);
    }

    private Response backWithError(String id, ValidationException e) {
        Optional<MerchantDirectory.Merchant> merchant = directory.find(id);
        if (merchant.isEmpty()) {
            return notFound(id);
        }
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_HTML)
                .entity(render(merchant.get(), List.of(), null, MerchantAdmin.message(e))).build();
    }

    private static Response notFound(String what) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                .entity("Merchant " + what + " was not found.").build();
    }

    /** Reads an HTML checkbox: browsers send its value when it is ticked and nothing when it is not. */
    private static boolean checked(String value) {
        return value != null && !value.isEmpty() && !value.equals("false");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
