package co.malipo.admin.merchants;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

import co.malipo.admin.audit.AuditLog;
import co.malipo.admin.auth.CurrentUser;
import co.malipo.admin.auth.Role;
import co.malipo.admin.web.Pages;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantService;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.webhook.WebhookEndpoint;
import co.malipo.core.webhook.WebhookEndpointRepository;
import co.malipo.core.webhook.WebhookEndpointService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Merchants: list and create, and per merchant its details, keys, wallets with balances, business
 * numbers and webhook endpoints. Everyone may read, but only ADMIN may change. A new secret is
 * shown once, in the response to the post that created it, sent with {@code Cache-Control: no-store}.
 */
@Path("/merchants")
@RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME, Role.SUPPORT_NAME })
public class MerchantsResource {

    static final int LIST_LIMIT = 500;
    static final int ENDPOINT_LIMIT = 100;

    /** A secret to show once, with what it is. */
    public record Secret(String label, String value) {
    }

    static final Map<String, String> NOTICES = Map.of("edited", "The merchant is saved.", "revoked",
            "The key is revoked. The api app may accept it for up to 30 seconds more.", "wallet",
            "The wallet is created.", "business", "The business number is registered.");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance merchants(List<MerchantAdmin.Merchant> merchants, List<Secret> secrets,
                String error);

        static native TemplateInstance merchant(MerchantAdmin.Merchant merchant, List<MerchantAdmin.Key> keys,
                List<MerchantAdmin.WalletBalance> wallets, List<MerchantAdmin.Business> businesses,
                List<WebhookEndpoint> endpoints, List<Secret> secrets, String notice, String error);
    }

    private final MerchantAdmin admin;
    private final MerchantService merchantService;
    private final WebhookEndpointRepository endpointRepository;
    private final WebhookEndpointService endpointService;
    private final AuditLog audit;
    private final CurrentUser me;

    public MerchantsResource(MerchantAdmin admin, MerchantService merchantService,
            WebhookEndpointRepository endpointRepository, WebhookEndpointService endpointService, AuditLog audit,
            CurrentUser me) {
        this.admin = admin;
        this.merchantService = merchantService;
        this.endpointRepository = endpointRepository;
        this.endpointService = endpointService;
        this.audit = audit;
        this.me = me;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list() {
        return Templates.merchants(admin.list(LIST_LIMIT), List.of(), null);
    }

    /** Creates a merchant with test and live key pairs and settlement wallets, and shows the keys once. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response create(@FormParam("name") String name, @FormParam("daraja_account") String darajaAccount) {
        String validName;
        try {
            validName = MerchantAdmin.validName(name);
        } catch (ValidationException e) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Templates.merchants(admin.list(LIST_LIMIT), List.of(), message(e))).build();
        }
        String account = darajaAccount == null || darajaAccount.isBlank() ? "default" : darajaAccount.trim();
        NewMerchant created = merchantService.createMerchant(validName, account);
        admin.auditCreated(created.merchantId(), validName, account, me.username(), me.clientIp());
        List<Secret> secrets = List.of(new Secret("Merchant id", created.merchantId()),
                new Secret("Test public key", created.testPublicKey()),
                new Secret("Test secret key", created.testSecretKey()),
                new Secret("Live public key", created.livePublicKey()),
                new Secret("Live secret key", created.liveSecretKey()));
        return noStore(Response.ok(Templates.merchants(admin.list(LIST_LIMIT), secrets, null)));
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.TEXT_HTML)
    public Response page(@PathParam("id") String id, @QueryParam("done") String done) {
        return render(id, List.of(), done == null ? null : NOTICES.get(done), null, Response.Status.OK);
    }

    @POST
    @Path("{id}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response edit(@PathParam("id") String id, @FormParam("name") String name,
            @FormParam("daraja_account") String darajaAccount) {
        try {
            admin.edit(id, name, darajaAccount, me.username(), me.clientIp());
        } catch (ValidationException e) {
            return render(id, List.of(), null, message(e), Response.Status.BAD_REQUEST);
        }
        return Pages.seeOther("/merchants/" + id + "?done=edited");
    }

    /** Creates a key pair for an environment and shows both keys once. */
    @POST
    @Path("{id}/keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response createKeys(@PathParam("id") String id, @FormParam("environment") String environment) {
        Optional<Environment> parsed = environment(environment);
        if (parsed.isEmpty() || admin.find(id).isEmpty()) {
            return render(id, List.of(), null, "Choose TEST or LIVE.", Response.Status.BAD_REQUEST);
        }
        MerchantAdmin.NewKeys keys = admin.createKeys(id, parsed.get(), me.username(), me.clientIp());
        return noStore(render(id, List.of(new Secret(keys.environment() + " public key", keys.publicKey()),
                new Secret(keys.environment() + " secret key", keys.secretKey())), "Keys created. Copy the secret"
                        + " key now: it is not shown again.", null, Response.Status.OK));
    }

    @POST
    @Path("{id}/keys/{hash}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response revokeKey(@PathParam("id") String id, @PathParam("hash") String hash) {
        if (!admin.revokeKey(id, hash, me.username(), me.clientIp())) {
            return render(id, List.of(), null, "The key was not found or is already revoked.",
                    Response.Status.BAD_REQUEST);
        }
        return Pages.seeOther("/merchants/" + id + "?done=revoked");
    }

    @POST
    @Path("{id}/wallets")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response addWallet(@PathParam("id") String id, @FormParam("environment") String environment,
            @FormParam("label") String label) {
        Optional<Environment> parsed = environment(environment);
        if (parsed.isEmpty()) {
            return render(id, List.of(), null, "Choose TEST or LIVE.", Response.Status.BAD_REQUEST);
        }
        try {
            admin.addWallet(id, parsed.get(), label, me.username(), me.clientIp());
        } catch (ValidationException e) {
            return render(id, List.of(), null, message(e), Response.Status.BAD_REQUEST);
        }
        return Pages.seeOther("/merchants/" + id + "?done=wallet");
    }

    @POST
    @Path("{id}/businesses")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response addBusiness(@PathParam("id") String id, @FormParam("business_number") String number,
            @FormParam("environment") String environment, @FormParam("display_name") String displayName) {
        Optional<Environment> parsed = environment(environment);
        if (parsed.isEmpty()) {
            return render(id, List.of(), null, "Choose TEST or LIVE.", Response.Status.BAD_REQUEST);
        }
        try {
            admin.addBusiness(id, number, parsed.get(), displayName, me.username(), me.clientIp());
        } catch (ValidationException e) {
            return render(id, List.of(), null, message(e), Response.Status.BAD_REQUEST);
        }
        return Pages.seeOther("/merchants/" + id + "?done=business");
    }

    /** Creates a webhook endpoint through core's service and shows its signing secret and challenge once. */
    @POST
    @Path("{id}/endpoints")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @RolesAllowed(Role.ADMIN_NAME)
    public Response addEndpoint(@PathParam("id") String id, @FormParam("environment") String environment,
            @FormParam("url") String url) {
        Optional<Environment> parsed = environment(environment);
        if (parsed.isEmpty() || admin.find(id).isEmpty()) {
            return render(id, List.of(), null, "Choose TEST or LIVE.", Response.Status.BAD_REQUEST);
        }
        WebhookEndpointService.Created created;
        try {
            created = endpointService.create(id, parsed.get(),
                    JsonMapper.builder().build().createObjectNode().put("endpoint", url == null ? "" : url.trim()));
        } catch (ValidationException e) {
            return render(id, List.of(), null, message(e), Response.Status.BAD_REQUEST);
        }
        String actor = me.username();
        String clientIp = me.clientIp();
        QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "WEBHOOK_ENDPOINT_CREATED", "merchant", id,
                clientIp, null, Map.of("endpoint_id", created.endpoint().id(), "url", created.endpoint().url(),
                        "environment", created.endpoint().environment().name()), null));
        return noStore(render(id, List.of(new Secret("Signing secret of " + created.endpoint().id(),
                created.signingSecret()), new Secret("Challenge", created.challenge())),
                "Endpoint created. Copy the signing secret now: it is not shown again.", null, Response.Status.OK));
    }

    private Response render(String id, List<Secret> secrets, String notice, String error, Response.Status status) {
        Optional<MerchantAdmin.Merchant> merchant = admin.find(id);
        if (merchant.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                    .entity("Merchant " + id + " was not found.").build();
        }
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        for (Environment environment : Environment.values()) {
            endpoints.addAll(endpointRepository.list(id, environment, ENDPOINT_LIMIT, 0));
        }
        return Response.status(status).type(MediaType.TEXT_HTML).entity(Templates.merchant(merchant.get(),
                admin.keys(id), admin.wallets(id), admin.businesses(id), endpoints, secrets, notice, error)).build();
    }

    private static Response noStore(Response.ResponseBuilder builder) {
        return builder.header("Cache-Control", "no-store").build();
    }

    private static Response noStore(Response response) {
        return Response.fromResponse(response).header("Cache-Control", "no-store").build();
    }

    private static Optional<Environment> environment(String text) {
        try {
            return Optional.of(Environment.valueOf(text == null ? "" : text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String message(ValidationException e) {
        StringBuilder text = new StringBuilder();
        e.errors().forEach((field, messages) -> text.append(text.length() == 0 ? "" : " ").append(field).append(": ")
                .append(String.join(" ", messages)));
        return text.toString();
    }
}
