package co.malipo.admin.invoices;

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

import co.malipo.admin.attention.ManualDecisions;
import co.malipo.admin.audit.AuditLog;
import co.malipo.admin.auth.CurrentUser;
import co.malipo.admin.auth.Role;
import co.malipo.admin.web.Pages;
import co.malipo.admin.web.Phones;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.reconcile.QueryApplier;
import co.malipo.core.support.Db;
import co.malipo.core.webhook.WebhookEndpointService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import org.jboss.logging.Logger;

/** One invoice with its whole timeline, and the actions on it: query Daraja, replay a webhook, manual decisions. */
@Path("/invoices/{id: [0-9A-Za-z]{1,20}}")
@RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME, Role.SUPPORT_NAME })
public class InvoiceResource {

    private static final Logger LOG = Logger.getLogger(InvoiceResource.class);

    /** Messages shown after an action's redirect, keyed by the {@code done} query parameter. */
    static final Map<String, String> NOTICES = Map.of(
            "queried", "Daraja was queried; the result is on the timeline.",
            "replayed", "The webhook delivery is queued again and will be sent at once.",
            "resolved", "The needs-attention item is resolved.",
            "requested", "The decision is recorded and waits for another user's approval.",
            "approved", "The decision is approved and applied.",
            "rejected", "The decision is rejected.");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance invoice(Invoice invoice, String merchantName, String phone, String checkoutRequestId,
                List<InvoiceHistory.Entry> timeline, List<InvoiceHistory.Delivery> deliveries,
                List<InvoiceHistory.AttentionItem> attention, List<InvoiceHistory.LedgerEntry> ledger,
                List<ManualDecisions.Decision> decisions, String notice, String error);
    }

    private final InvoiceRepository invoices;
    private final InvoiceHistory history;
    private final ManualDecisions decisions;
    private final QueryApplier queryApplier;
    private final WebhookEndpointService webhooks;
    private final AuditLog audit;
    private final CurrentUser me;
    private final Db db;

    public InvoiceResource(InvoiceRepository invoices, InvoiceHistory history, ManualDecisions decisions,
            QueryApplier queryApplier, WebhookEndpointService webhooks, AuditLog audit, CurrentUser me, Db db) {
        this.invoices = invoices;
        this.history = history;
        this.decisions = decisions;
        this.queryApplier = queryApplier;
        this.webhooks = webhooks;
        this.audit = audit;
        this.me = me;
        this.db = db;
    }

    @GET
    @Produces("text/html")
    public Response page(@PathParam("id") String id, @QueryParam("done") String done) {
        Optional<Invoice> found = invoices.find(id);
        if (found.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).type("text/plain")
                    .entity("Invoice " + id + " was not found. Search the invoice list for it.").build();
        }
        return Response.ok(render(found.get(), done == null ? null : NOTICES.get(done), null)).build();
    }

    private TemplateInstance render(Invoice invoice, String notice, String error) {
        boolean mask = me.masksPhones();
        List<InvoiceHistory.Entry> timeline = history.timeline(invoice.id()).stream()
                .map(entry -> mask ? new InvoiceHistory.Entry(entry.at(), entry.kind(), entry.source(),
                        entry.stateFrom(), entry.stateTo(), Phones.mask(entry.text()), Phones.mask(entry.payload()))
                        : entry)
                .toList();
        List<InvoiceHistory.AttentionItem> attention = history.attention(invoice.id()).stream()
                .map(item -> mask ? new InvoiceHistory.AttentionItem(item.id(), item.subjectType(), item.subjectId(),
                        item.kind(), Phones.mask(item.evidence()), item.createdAt(), item.resolvedAt(),
                        item.resolvedBy(), item.note()) : item)
                .toList();
        String merchantName = db.one("SELECT name FROM merchants WHERE id = ?", row -> row.getString(1),
                invoice.merchantId()).orElse("");
        return Templates.invoice(invoice, merchantName, Phones.maskIf(mask, invoice.phone()),
                Phones.maskIf(mask, invoice.checkoutRequestId()), timeline,
                history.deliveries(invoice.id()), attention, history.ledger(invoice.id()),
                decisions.listForInvoice(invoice.id()), notice, error);
    }

    /** Queries Daraja about the push now and applies the reply as the status poller would. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("query")
    @RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME })
    public Response queryNow(@PathParam("id") String id) {
        Optional<Invoice> found = invoices.find(id);
        if (found.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).type("text/plain")
                    .entity("Invoice " + id + " was not found.").build();
        }
        Invoice invoice = found.get();
        if (invoice.checkoutRequestId() == null) {
            return backWithError(id, "This invoice has no CheckoutRequestID yet, so Daraja cannot be queried about"
                    + " it. Daraja never accepted its push, or the push has not been sent.");
        }
        queryApplier.queryAndApply(id, invoice.checkoutRequestId(), invoice.darajaAccount(), "DASHBOARD");
        String after = invoices.find(id).map(updated -> updated.state().name()).orElse("");
        String actor = me.username();
        String clientIp = me.clientIp();
        QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "DARAJA_QUERIED", "invoice", id, clientIp,
                Map.of("state", invoice.state().name()), Map.of("state", after), null));
        LOG.infof("User %s queried Daraja about invoice %s: %s -> %s", actor, id, invoice.state(), after);
        return Pages.seeOther("/invoices/" + id + "?done=queried");
    }

    /** Queues a webhook delivery of this invoice again, with its original event id and payload. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("deliveries/{deliveryId}/replay")
    @RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME })
    public Response replay(@PathParam("id") String id, @PathParam("deliveryId") String deliveryId) {
        Optional<Invoice> found = invoices.find(id);
        UUID delivery;
        try {
            delivery = UUID.fromString(deliveryId);
        } catch (IllegalArgumentException e) {
            delivery = null;
        }
        if (found.isEmpty() || delivery == null) {
            return Response.status(Response.Status.NOT_FOUND).type("text/plain")
                    .entity("Invoice " + id + " or delivery " + deliveryId + " was not found.").build();
        }

        UUID deliveryUuid = delivery;
        boolean belongs = history.deliveries(id).stream().anyMatch(entry -> entry.id().equals(deliveryUuid));
        if (!belongs) {
            return backWithError(id, "Delivery " + deliveryId + " is not a delivery of this invoice.");
        }

        Invoice invoice = found.get();
        WebhookEndpointService.Replay replay = webhooks.replay(invoice.merchantId(), invoice.environment(), delivery);
        if (replay.outcome() != WebhookEndpointService.ReplayOutcome.REPLAYED) {
            return backWithError(id, switch (replay.outcome()) {
                case ENDPOINT_INACTIVE -> "The endpoint is disabled or deleted. Re-enable it before replaying.";
                case IN_FLIGHT -> "The delivery is being sent right now. Wait for the attempt to finish.";
                default -> "The delivery was not found.";
            });
        }

        String actor = me.username();
        String clientIp = me.clientIp();
        QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "WEBHOOK_REPLAYED", "invoice", id, clientIp,
                null, Map.of("delivery_id", deliveryId, "event_id", replay.delivery().eventId().toString()), null));
        return Pages.seeOther("/invoices/" + id + "?done=replayed");
    }

    /** Requests a manual decision, which a different user must approve. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("decisions")
    @RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME })
    public Response requestDecision(@PathParam("id") String id, @FormParam("decision") String decision,
            @FormParam("receipt") String receipt, @FormParam("note") String note) {
        try {
            decisions.request(id, decision, receipt, note, me.username(), me.clientIp());
        } catch (ValidationException e) {
            return backWithError(id, message(e));
        }
        return Pages.seeOther("/invoices/" + id + "?done=requested");
    }

    /** Approves or rejects a requested decision; the requester cannot review their own request. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("decisions/{decisionId}/review")
    @RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME })
    public Response reviewDecision(@PathParam("id") String id, @PathParam("decisionId") long decisionId,
            @FormParam("verdict") String verdict, @FormParam("review_note") String reviewNote) {
        if (!"approve".equals(verdict) && !"reject".equals(verdict)) {
            return backWithError(id, "Choose approve or reject.");
        }
        boolean approve = "approve".equals(verdict);
        try {
            decisions.review(decisionId, approve, reviewNote, me.username(), me.clientIp());
        } catch (ValidationException e) {
            return backWithError(id, message(e));
        }
        return Pages.seeOther("/invoices/" + id + "?done=" + (approve ? "approved" : "rejected"));
    }

    /** Shows the invoice page again with the problem, as a 400 (a rendered page, not a redirect, so no link can fake a message). */
    private Response backWithError(String id, String message) {
        Optional<Invoice> invoice = invoices.find(id);
        if (invoice.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).type("text/plain")
                    .entity("Invoice " + id + " was not found.").build();
        }
        return Response.status(Response.Status.BAD_REQUEST).type("text/html")
                .entity(render(invoice.get(), null, message)).build();
    }

    static String message(ValidationException e) {
        StringBuilder text = new StringBuilder();
        e.errors().forEach((field, messages) -> text.append(text.length() == 0 ? "" : " ").append(field).append(": ")
                .append(String.join(" ", messages)));
        return text.toString();
    }
}
