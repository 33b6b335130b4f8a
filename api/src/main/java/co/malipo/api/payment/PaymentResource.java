package co.malipo.api.payment;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.api.auth.KeyAuthenticator;
import co.malipo.api.ratelimit.ApiRateLimits;
import co.malipo.api.error.ApiException;
import co.malipo.core.invoice.Channel;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.InvoiceService;
import co.malipo.core.invoice.InvoiceView;
import co.malipo.core.invoice.PushValidator;
import co.malipo.core.invoice.ValidPush;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.merchant.ApiKey;
import co.malipo.core.push.PushWorker;
import co.malipo.core.reconcile.StatusRefresher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/**
 * The merchant payment API, wire-compatible with the KulmiPay and IntaSend merchant APIs. Both
 * path generations reach the same handlers, and never redirect. Quarkus REST matches a path with or
 * without its trailing slash, so each path is declared once.
 */
@Path("/api/v1/payment")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    static final String KULMI_PUBLIC_KEY_HEADER = "X-KULMI-PUBLIC-API-KEY";
    static final String INTASEND_PUBLIC_KEY_HEADER = "INTASEND_PUBLIC_API_KEY";
    static final String NOT_FOUND = "Not found. No invoice with this invoice_id belongs to your account in this environment.";
    private static final java.util.regex.Pattern INVOICE_ID = java.util.regex.Pattern.compile("[0-9A-Z]{1,32}");

    private final KeyAuthenticator authenticator;
    private final PushValidator validator;
    private final InvoiceService invoiceService;
    private final InvoiceRepository invoices;
    private final IdempotencyStore idempotency;
    private final StatusRefresher statusRefresher;
    private final PushWorker pushWorker;
    private final ApiRateLimits rateLimits;

    public PaymentResource(KeyAuthenticator authenticator, PushValidator validator, InvoiceService invoiceService,
            InvoiceRepository invoices, IdempotencyStore idempotency, StatusRefresher statusRefresher,
            PushWorker pushWorker, ApiRateLimits rateLimits) {
        this.authenticator = authenticator;
        this.validator = validator;
        this.invoiceService = invoiceService;
        this.invoices = invoices;
        this.idempotency = idempotency;
        this.statusRefresher = statusRefresher;
        this.pushWorker = pushWorker;
        this.rateLimits = rateLimits;
    }

    @POST
    @Path("/mpesa-stk-push/")
    @Operation(summary = "Start an M-Pesa STK push", description = "Needs the secret key as a Bearer token.")
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ApiDocs.StkPushRequest.class)))
    public Response stkPush(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Idempotency-Key") String idempotencyKey, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        ApiKey key = authenticator.requireSecret(authorization);
        rateLimits.pushByKey(key);
        ContentTypes.requireJson(contentType);
        ObjectNode request = JsonBodies.object(body);
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return push(key, request);
        }

        String canonical = JsonBodies.canonical(request);
        Optional<IdempotencyStore.Stored> stored = idempotency.find(key, idempotencyKey, canonical);
        if (stored.isEmpty()) {
            try {
                stored = pushOnce(key, idempotencyKey, canonical, request);
            } catch (ApiException e) {
                idempotency.storeRejection(key, idempotencyKey, canonical, e.status(), JsonBodies.write(e.body()));
                throw e;
            } catch (ValidationException e) {
                idempotency.storeRejection(key, idempotencyKey, canonical, 400, JsonBodies.write(e.errors()));
                throw e;
            }
        }
        return Response.status(stored.get().status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(stored.get().body()).header("Idempotent-Replayed", stored.get().replayed() ? "true" : null)
                .build();
    }

    /**
     * Creates the invoice, claims the key and stores the response in one transaction, and returns
     * that response. When a request with the same key committed first, rolls back and returns the
     * other request's response to replay.
     */
    private Optional<IdempotencyStore.Stored> pushOnce(ApiKey key, String idempotencyKey, String canonical,
            ObjectNode request) {
        ValidPush push = validator.validate(key.merchantId(), key.environment(), Channel.API, request);
        rateLimits.pushToPhone(key.environment(), push.phone());
        Optional<IdempotencyStore.Stored> result = QuarkusTransaction.requiringNew().call(() -> {
            if (!idempotency.claimInTransaction(key, idempotencyKey, canonical)) {
                return idempotency.findInTransaction(key, idempotencyKey, canonical)
                        .map(IdempotencyStore.Stored::asReplay);
            }
            Invoice invoice = invoiceService.createPush(push, Duration.ZERO);
            String body = JsonBodies.write(pushBody(invoice));
            // A repeat's claim waits at the key's unique index until this transaction ends.
            idempotency.storeInTransaction(key, idempotencyKey, 200, body);
            return Optional.of(new IdempotencyStore.Stored(200, body, false));
        });
        pushWorker.wake();
        if (result.isEmpty()) {
            throw ApiException.detail(409, "Another request with this Idempotency-Key was processed at the same moment"
                    + " and has not finished. Retry the request.");
        }
        return result;
    }

    @POST
    @Path("/collection/stk-push/")
    @Operation(summary = "Start an M-Pesa STK push (older path)")
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ApiDocs.StkPushRequest.class)))
    public Response stkPushOldPath(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Idempotency-Key") String idempotencyKey, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        return stkPush(authorization, idempotencyKey, contentType, body);
    }

    @POST
    @Path("/status/")
    @Operation(summary = "Read an invoice's state",
            description = "Accepts the secret key as a Bearer token, or the public key alone in the body or a header.")
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ApiDocs.StatusRequest.class)))
    public Response status(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(KULMI_PUBLIC_KEY_HEADER) String kulmiPublicKey,
            @HeaderParam(INTASEND_PUBLIC_KEY_HEADER) String intasendPublicKey,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        ContentTypes.requireJson(contentType);
        ObjectNode request = JsonBodies.object(body);
        String bodyPublicKey = request.path("public_key").isTextual() ? request.get("public_key").textValue() : null;
        ApiKey key = authenticator.requireSecretOrPublic(authorization, bodyPublicKey, kulmiPublicKey,
                intasendPublicKey);
        rateLimits.statusByKey(key);

        String invoiceId = invoiceId(request.get("invoice_id"));
        Invoice invoice = invoices.find(invoiceId)
                .filter(found -> found.merchantId().equals(key.merchantId()))
                .filter(found -> found.environment() == key.environment())
                .orElseThrow(() -> ApiException.detail(404, NOT_FOUND));
        Invoice freshest = statusRefresher.refreshIfStale(invoice);
        return Response.ok(JsonBodies.write(statusBody(freshest))).build();
    }

    @POST
    @Path("/collection/status")
    @Operation(summary = "Read an invoice's state (older path)")
    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = ApiDocs.StatusRequest.class)))
    public Response statusOldPath(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(KULMI_PUBLIC_KEY_HEADER) String kulmiPublicKey,
            @HeaderParam(INTASEND_PUBLIC_KEY_HEADER) String intasendPublicKey,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        return status(authorization, kulmiPublicKey, intasendPublicKey, contentType, body);
    }

    /** Reads {@code invoice_id}; ids are Crockford base32, so case does not matter. */
    private static String invoiceId(JsonNode node) {
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().isBlank())) {
            throw ApiException.field("invoice_id", "This field is required. Send the invoice_id the push returned.");
        }
        if (!node.isTextual()) {
            throw ApiException.field("invoice_id", "Must be a string, such as \"GQ7KZ2XPNM\".");
        }
        String id = node.textValue().trim().toUpperCase(java.util.Locale.ROOT);
        if (!INVOICE_ID.matcher(id).matches()) {
            throw ApiException.detail(404, NOT_FOUND);
        }
        return id;
    }

    private Response push(ApiKey key, ObjectNode request) {
        ValidPush push = validator.validate(key.merchantId(), key.environment(), Channel.API, request);
        rateLimits.pushToPhone(key.environment(), push.phone());
        Invoice invoice = invoiceService.createPush(push);
        return Response.ok(JsonBodies.write(pushBody(invoice))).build();
    }

    private static Map<String, Object> pushBody(Invoice invoice) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", invoice.sessionId().toString());
        body.put("invoice", InvoiceView.of(invoice));
        body.put("customer", InvoiceView.customer(invoice));
        body.put("payment_link", null);
        body.put("customer_comment", null);
        body.put("refundable", false);
        body.put("created_at", InvoiceView.timestamp(invoice.createdAt()));
        body.put("updated_at", InvoiceView.timestamp(invoice.updatedAt()));
        return body;
    }

    private static Map<String, Object> statusBody(Invoice invoice) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("id", invoice.sessionId().toString());
        meta.put("customer", InvoiceView.customer(invoice));
        meta.put("payment_link", null);
        meta.put("customer_comment", null);
        meta.put("created_at", InvoiceView.timestamp(invoice.createdAt()));
        meta.put("updated_at", InvoiceView.timestamp(invoice.updatedAt()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("invoice", InvoiceView.of(invoice));
        body.put("meta", meta);
        return body;
    }
}
