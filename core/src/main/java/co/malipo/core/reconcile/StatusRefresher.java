package co.malipo.core.reconcile;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Lets a status call query Daraja at once for an open invoice whose last evidence is older than
 * {@code malipo.reconcile.status-query-age}. At most one such query runs per invoice in that
 * time, whatever the number of callers or instances, because the claim is a conditional update.
 */
@ApplicationScoped
public class StatusRefresher {

    private final QueryRepository queries;
    private final QueryApplier applier;
    private final InvoiceRepository invoices;
    private final GatewayConfig.Reconcile config;
    private final Clock clock;

    public StatusRefresher(QueryRepository queries, QueryApplier applier, InvoiceRepository invoices,
            GatewayConfig config, Clock clock) {
        this.queries = queries;
        this.applier = applier;
        this.invoices = invoices;
        this.config = config.reconcile();
        this.clock = clock;
    }

    /** Returns the invoice, first querying Daraja when it is open and stale. */
    public Invoice refreshIfStale(Invoice invoice) {
        if (!invoice.state().isOpen() || invoice.checkoutRequestId() == null) {
            return invoice;
        }
        Instant now = clock.instant();
        Instant staleBefore = now.minus(config.statusQueryAge());
        boolean claimed = QuarkusTransaction.requiringNew().call(() -> queries.claimForStatus(invoice.id(), now,
                staleBefore, staleBefore, config.queryLease()));
        if (!claimed) {
            return invoice;
        }
        applier.queryAndApply(invoice.id(), invoice.checkoutRequestId(), invoice.darajaAccount(), "STATUS_CALL");
        return invoices.find(invoice.id()).orElse(invoice);
    }
}
