package co.malipo.core.observability;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.invoice.InvoiceState;
import co.malipo.core.support.Db;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * Gauges of open invoices, open attention items and the webhook backlog. A scrape reads numbers
 * that a scheduled count refreshes every {@code malipo.observability.gauge-refresh-interval} (30 s by default),
 * so scrapes cost the database nothing. Every instance counts the same shared tables, so
 * dashboards should take {@code max} over instances, not {@code sum}.
 */
// Created at start, so that its gauges exist from the first scrape.
@Startup
@ApplicationScoped
public class BacklogGauges {

    private static final Logger LOG = Logger.getLogger(BacklogGauges.class);

    private final Db db;
    private final Map<InvoiceState, AtomicLong> openInvoices = new EnumMap<>(InvoiceState.class);
    private final Map<AttentionRepository.Kind, AtomicLong> openAttention = new EnumMap<>(AttentionRepository.Kind.class);
    private final AtomicLong webhookBacklog = new AtomicLong();
    private final AtomicLong smsBacklog = new AtomicLong();

    public BacklogGauges(Db db, MeterRegistry meters) {
        this.db = db;
        for (InvoiceState state : InvoiceState.values()) {
            if (state.isOpen()) {
                AtomicLong count = new AtomicLong();
                openInvoices.put(state, count);
                Gauge.builder("malipo.invoices.open", count, AtomicLong::get)
                        .description("Invoices in an open state, counted every refresh interval")
                        .tag("state", state.name())
                        .register(meters);
            }
        }
        for (AttentionRepository.Kind kind : AttentionRepository.Kind.values()) {
            AtomicLong count = new AtomicLong();
            openAttention.put(kind, count);
            Gauge.builder("malipo.attention.open", count, AtomicLong::get)
                    .description("Unresolved needs-attention items, counted every refresh interval")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .register(meters);
        }
        Gauge.builder("malipo.webhooks.backlog", webhookBacklog, AtomicLong::get)
                .description("Webhook deliveries waiting for their first or next attempt")
                .register(meters);
        Gauge.builder("malipo.sms.backlog", smsBacklog, AtomicLong::get)
                .description("SMS messages queued for sending or for a retry")
                .register(meters);
    }

    /** Counts the rows behind the gauges. Each count uses a partial index or a small table. */
    @Scheduled(every = "${malipo.observability.gauge-refresh-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        try {
            Map<String, Long> invoices = counts(
                    "SELECT state, count(*) FROM invoices WHERE state IN ('PENDING', 'PROCESSING') GROUP BY state");
            openInvoices.forEach((state, gauge) -> gauge.set(invoices.getOrDefault(state.name(), 0L)));

            Map<String, Long> attention = counts(
                    "SELECT kind, count(*) FROM attention_items WHERE resolved_at IS NULL GROUP BY kind");
            openAttention.forEach((kind, gauge) -> gauge.set(attention.getOrDefault(kind.name(), 0L)));

            webhookBacklog.set(count("SELECT count(*) FROM webhook_deliveries WHERE status IN ('PENDING', 'PROCESSING')"));
            smsBacklog.set(count("SELECT count(*) FROM sms_messages WHERE status = 'QUEUED'"));
        } catch (RuntimeException e) {
            // The gauges keep their last values; the next refresh tries again.
            LOG.warn("Could not refresh the backlog gauges", e);
        }
    }

    private Map<String, Long> counts(String sql) {
        Map<String, Long> result = new HashMap<>();
        db.list(sql, row -> Map.entry(row.getString(1), row.getLong(2)))
                .forEach(entry -> result.put(entry.getKey(), entry.getValue()));
        return result;
    }

    private long count(String sql) {
        return db.one(sql, row -> row.getLong(1)).orElse(0L);
    }
}
