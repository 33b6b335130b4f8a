package co.malipo.admin.attention;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

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

import co.malipo.admin.AdminConfig;
import co.malipo.admin.auth.CurrentUser;
import co.malipo.admin.auth.Role;
import co.malipo.admin.invoices.InvoiceHistory;
import co.malipo.admin.web.Pages;
import co.malipo.admin.web.Phones;
import co.malipo.admin.web.Redirects;
import co.malipo.core.invoice.ValidationException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The needs-attention queue, oldest first, with manual decisions that wait for a second user. */
@Path("/attention")
@RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME, Role.SUPPORT_NAME })
public class AttentionResource {

    static final Map<String, String> NOTICES = Map.of("resolved", "The item is resolved.");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance attention(List<InvoiceHistory.AttentionItem> items, String next,
                List<ManualDecisions.Decision> decisions, String notice, String error);
    }

    private final AttentionService attention;
    private final ManualDecisions decisions;
    private final CurrentUser me;
    private final AdminConfig config;

    public AttentionResource(AttentionService attention, ManualDecisions decisions, CurrentUser me,
            AdminConfig config) {
        this.attention = attention;
        this.decisions = decisions;
        this.me = me;
        this.config = config;
    }

    @GET
    @Produces("text/html")
    public Response queue(@QueryParam("after") String after, @QueryParam("done") String done) {
        Instant afterAt = null;
        Long afterId = null;
        if (after != null && !after.isBlank()) {
            int separator = after.lastIndexOf('_');
            try {
                afterAt = Instant.parse(after.substring(0, Math.max(separator, 0)));
                afterId = Long.parseLong(after.substring(separator + 1));
            } catch (DateTimeParseException | NumberFormatException | StringIndexOutOfBoundsException e) {
                return Response.status(Response.Status.BAD_REQUEST)
                        .entity(render(List.of(), null, "The page link is invalid. Start from the first page."))
                        .build();
            }
        }
        return Response.ok(render(attention.listOpen(afterAt, afterId, config.pageSize() + 1),
                done == null ? null : NOTICES.get(done), null)).build();
    }

    private TemplateInstance render(List<InvoiceHistory.AttentionItem> fetched, String notice, String error) {
        int size = config.pageSize();
        List<InvoiceHistory.AttentionItem> items = fetched.size() > size ? fetched.subList(0, size) : fetched;
        String next = null;
        if (fetched.size() > size) {
            InvoiceHistory.AttentionItem last = items.get(size - 1);
            next = last.createdAt() + "_" + last.id();
        }
        boolean mask = me.masksPhones();
        List<InvoiceHistory.AttentionItem> shown = items.stream()
                .map(item -> mask ? new InvoiceHistory.AttentionItem(item.id(), item.subjectType(), item.subjectId(),
                        item.kind(), Phones.mask(item.evidence()), item.createdAt(), item.resolvedAt(),
                        item.resolvedBy(), item.note()) : item)
                .toList();
        return Templates.attention(shown, next, decisions.listOpen(size), notice, error);
    }

    /** Resolves an item with a note and returns to {@code back} (a path on this site) or the queue. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Path("{itemId}/resolve")
    @RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME })
    public Response resolve(@PathParam("itemId") long itemId, @FormParam("note") String note,
            @FormParam("back") String back) {
        String target = Redirects.localOr(back, "/attention");
        AttentionService.Resolution resolution;
        try {
            resolution = attention.resolve(itemId, note, me.username(), me.clientIp());
        } catch (ValidationException e) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(render(attention.listOpen(null, null, config.pageSize() + 1), null,
                            "Item " + itemId + " was not resolved: " + String.join(" ",
                                    e.errors().values().stream().flatMap(List::stream).toList())))
                    .build();
        }
        if (resolution == AttentionService.Resolution.NOT_FOUND) {
            return Response.status(Response.Status.NOT_FOUND).type("text/plain")
                    .entity("Needs-attention item " + itemId + " was not found.").build();
        }
        return Pages.seeOther(target + (target.contains("?") ? "&" : "?") + "done=resolved");
    }
}
