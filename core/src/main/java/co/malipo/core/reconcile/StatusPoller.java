package co.malipo.core.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.support.JsonText;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * Queries Daraja for open invoices whose callback is late, on the configured backoff, and lists
 * invoices open too long as needing attention. Runs on every instance: claims are leases taken
 * with {@code SKIP LOCKED}, so instances share the work.
 */
@ApplicationScoped
public class StatusPoller {

    private static final Logger LOG = Logger.getLogger(StatusPoller.class);

    private final QueryRepository queries;
    private final QueryApplier applier;
    private final InvoiceRepository invoices;
    private final AttentionRepository attention;
    private final GatewayConfig.Reconcile config;
    private final Clock clock;

    public StatusPoller(QueryRepository queries, QueryApplier applier, InvoiceRepository invoices,
            AttentionRepository attention, GatewayConfig config, Clock clock) {
        this.queries = queries;
        this.applier = applier;
        this.invoices = invoices;
        this.attention = attention;
        this.config = config.reconcile();
        this.clock = clock;
    }

    @Scheduled(every = "${malipo.reconcile.poll-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.error("Status poller round failed; the next round will try again", e);
        }
    }

    /** Runs one round: due queries first, then the open-too-long check. Returns the number of queries made. */
    public int runOnce() {
        Instant now = clock.instant();
        List<QueryRepository.DueQuery> due = QuarkusTransaction.requiringNew()
                .call(() -> queries.claimDue(now, config.queryLease(), config.batchSize()));
        for (QueryRepository.DueQuery query : due) {
            try {
                applier.queryAndApply(query.invoiceId(), query.checkoutRequestId(), query.darajaAccount(), "POLLER");
            } catch (RuntimeException e) {
                LOG.errorf(e, "Query of invoice %s failed unexpectedly; its lease expiry returns it to the schedule",
                        query.invoiceId());
            }
        }
        listOpenTooLong(now);
        return due.size();
    }

    private void listOpenTooLong(Instant now) {
        List<String> overdue = queries.findOpenTooLong(now.minus(config.attentionAfter()), 100);
        for (String invoiceId : overdue) {
            QuarkusTransaction.requiringNew().run(() -> {
                Invoice invoice = invoices.find(invoiceId).orElseThrow();
                AttentionRepository.Kind kind = invoice.outcomeUnknown() && invoice.checkoutRequestId() == null
                        ? AttentionRepository.Kind.OUTCOME_UNKNOWN
                        : AttentionRepository.Kind.OPEN_TOO_LONG;
                attention.open("invoice", invoiceId, kind, JsonText.of(Map.of(
                        "state", invoice.state().name(), "created_at", invoice.createdAt().toString(),
                        "query_attempts", invoice.queryAttempts())), now);
                LOG.warnf("Invoice %s is still %s after %s; listed as needing attention (%s)", invoiceId,
                        invoice.state(), config.attentionAfter(), kind);
            });
        }
    }
}
