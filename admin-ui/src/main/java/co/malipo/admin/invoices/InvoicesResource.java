package co.malipo.admin.invoices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import co.malipo.admin.AdminConfig;
import co.malipo.admin.audit.AuditLog;
import co.malipo.admin.auth.CurrentUser;
import co.malipo.admin.auth.Role;
import co.malipo.admin.web.Formats;
import co.malipo.admin.web.Phones;
import co.malipo.core.invoice.Channel;
import co.malipo.core.invoice.InvoiceState;
import co.malipo.core.merchant.Environment;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import org.jboss.logging.Logger;

/** The invoice list with its filters and keyset pages, and the CSV export of every match. */
@Path("/invoices")
@RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME, Role.SUPPORT_NAME })
public class InvoicesResource {

    private static final Logger LOG = Logger.getLogger(InvoicesResource.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
            .withZone(Formats.EAT);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance invoices(InvoiceFilter filter, List<InvoiceSearch.Row> rows, String next,
                List<MerchantNames.Entry> merchants, List<String> states, List<String> environments,
                List<String> channels, String cursorError);
    }

    private final InvoiceSearch search;
    private final MerchantNames merchants;
    private final AuditLog audit;
    private final CurrentUser me;
    private final AdminConfig config;
    private final Clock clock;

    public InvoicesResource(InvoiceSearch search, MerchantNames merchants, AuditLog audit, CurrentUser me,
            AdminConfig config, Clock clock) {
        this.search = search;
        this.merchants = merchants;
        this.audit = audit;
        this.me = me;
        this.config = config;
        this.clock = clock;
    }

    @GET
    @Produces("text/html")
    public Response list(@Context UriInfo uri, @QueryParam("after") String after) {
        InvoiceFilter filter = InvoiceFilter.parse(uri.getQueryParameters());
        InvoiceSearch.Cursor cursor = null;
        String cursorError = null;
        if (after != null && !after.isBlank()) {
            cursor = InvoiceSearch.Cursor.decode(after).orElse(null);
            if (cursor == null) {
                cursorError = "The page link is invalid. Start again from the first page.";
            }
        }
        if (!filter.isValid() || cursorError != null) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(page(filter, List.of(), null, cursorError)).build();
        }
        InvoiceSearch.Page page = search.page(filter, cursor, config.pageSize());
        List<InvoiceSearch.Row> rows = page.rows().stream().map(this::forViewer).toList();
        return Response.ok(page(filter, rows, page.next() == null ? null : page.next().encode(), null)).build();
    }

    /** Streams every invoice that matches the filter as CSV. SUPPORT users may not export. */
    @GET
    @Path("export.csv")
    @Produces("text/csv")
    @RolesAllowed({ Role.ADMIN_NAME, Role.FINANCE_NAME })
    public Response export(@Context UriInfo uri) {
        InvoiceFilter filter = InvoiceFilter.parse(uri.getQueryParameters());
        if (!filter.isValid()) {
            StringBuilder message = new StringBuilder("Invalid filter:");
            filter.errors().forEach((field, error) -> message.append(' ').append(field).append(": ").append(error));
            return Response.status(Response.Status.BAD_REQUEST).type("text/plain").entity(message.toString()).build();
        }
        String actor = me.username();
        String clientIp = me.clientIp();
        QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "INVOICES_EXPORTED", "invoices", null,
                clientIp, null, Map.of("filter", filter.setValues()), null));
        StreamingOutput body = output -> {
            try (InvoiceCsv csv = new InvoiceCsv(output)) {
                long count = search.export(filter, csv::write);
                LOG.infof("User %s exported %d invoices with filter %s", actor, count, filter.setValues());
            } catch (UncheckedIOException e) {
                throw new IOException(e);
            }
        };
        String file = "invoices-" + FILE_TIME.format(clock.instant()) + ".csv";
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"").build();
    }

    private TemplateInstance page(InvoiceFilter filter, List<InvoiceSearch.Row> rows, String next,
            String cursorError) {
        return Templates.invoices(filter, rows, next, merchants.list(), names(InvoiceState.values()),
                names(Environment.values()), names(Channel.values()), cursorError);
    }

    private InvoiceSearch.Row forViewer(InvoiceSearch.Row row) {
        if (!me.masksPhones()) {
            return row;
        }
        return new InvoiceSearch.Row(row.id(), row.createdAt(), row.finishedAt(), row.merchantId(),
                row.merchantName(), row.environment(), row.channel(), row.state(), row.outcomeUnknown(),
                Phones.mask(row.phone()), row.apiRef(), row.amount(), row.value(), row.charges(), row.netAmount(),
                row.mpesaReference(), row.failedCode(), row.failedReason());
    }

    private static List<String> names(Enum<?>[] constants) {
        return java.util.Arrays.stream(constants).map(Enum::name).toList();
    }
}
