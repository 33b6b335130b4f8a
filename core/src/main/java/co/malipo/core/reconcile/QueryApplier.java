package co.malipo.core.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.daraja.DarajaClient;
import co.malipo.core.daraja.QueryReply;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.TimelineRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/**
 * Queries Daraja about one claimed invoice with no transaction open, then applies the reply under
 * the invoice's row lock. A result goes through {@link Reconciler}. "Still processing", a failed
 * query or no reply leave the state alone and set the next query.
 */
@ApplicationScoped
public class QueryApplier {

    private static final Logger LOG = Logger.getLogger(QueryApplier.class);

    private final DarajaClient daraja;
    private final InvoiceRepository invoices;
    private final TimelineRepository timeline;
    private final QueryRepository queries;
    private final Reconciler reconciler;
    private final GatewayConfig.Reconcile config;
    private final Clock clock;

    public QueryApplier(DarajaClient daraja, InvoiceRepository invoices, TimelineRepository timeline,
            QueryRepository queries, Reconciler reconciler, GatewayConfig config, Clock clock) {
        this.daraja = daraja;
        this.invoices = invoices;
        this.timeline = timeline;
        this.queries = queries;
        this.reconciler = reconciler;
        this.config = config.reconcile();
        this.clock = clock;
    }

    /** Queries and applies; {@code source} names who asked, {@code POLLER} or {@code STATUS_CALL}. */
    public void queryAndApply(String invoiceId, String checkoutRequestId, String darajaAccount, String source) {
        QueryReply reply = daraja.query(darajaAccount, checkoutRequestId);
        QuarkusTransaction.requiringNew().run(() -> apply(invoiceId, reply, source));
    }

    private void apply(String invoiceId, QueryReply reply, String source) {
        Instant now = clock.instant();
        Invoice invoice = invoices.lock(invoiceId).orElseThrow();
        if (reply instanceof QueryReply.Result result) {
            Reconciler.Decision decision = reconciler.apply(invoice, result.result(), "QUERY", result.body());
            LOG.infof("Query of invoice %s: result %s, %s", invoiceId, result.result().resultCode(), decision);
            Invoice after = invoices.find(invoiceId).orElseThrow();
            if (after.state().isOpen()) {
                queries.reschedule(invoiceId, nextQueryAt(after, now), now);
            } else {
                queries.finish(invoiceId, now);
            }
            return;
        }
        String note;
        String payload;
        if (reply instanceof QueryReply.Processing processing) {
            note = "Daraja: the transaction is being processed";
            payload = processing.body();
        } else {
            QueryReply.Failed failed = (QueryReply.Failed) reply;
            note = "Query failed: " + failed.reason();
            payload = failed.body();
            LOG.warnf("Query of invoice %s failed: %s", invoiceId, failed.reason());
        }
        Instant next = invoice.state().isOpen() ? nextQueryAt(invoice, now) : null;
        timeline.add(invoiceId, now, reply instanceof QueryReply.Processing ? "QUERY_PENDING" : "QUERY_FAILED", source,
                invoice.state(), invoice.state(),
                next == null ? note + "; no more queries are scheduled" : note + "; next query at " + next,
                jsonOrNull(payload));
        queries.reschedule(invoiceId, next, now);
    }

    /** Computes the next query time from the configured delays, or null once the give-up time has passed. */
    Instant nextQueryAt(Invoice invoice, Instant now) {
        List<Duration> delays = config.queryDelays();
        int attempts = invoice.queryAttempts() + 1;
        Duration delay = delays.get(Math.min(attempts, delays.size() - 1));
        Instant next = now.plus(delay);
        Instant acceptedAt = invoice.acceptedAt() == null ? invoice.createdAt() : invoice.acceptedAt();
        return next.isAfter(acceptedAt.plus(config.queryGiveUpAfter())) ? null : next;
    }

    private static String jsonOrNull(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String trimmed = body.trim();
        return trimmed.startsWith("{") ? trimmed : co.malipo.core.support.JsonText.of(java.util.Map.of("body", trimmed));
    }
}
