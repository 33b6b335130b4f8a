package co.malipo.core.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Timers of an invoice's life: how long Daraja took to call back after accepting the push, and how
 * long an invoice took from creation to {@code COMPLETE} or {@code FAILED}. Both are published as
 * histograms, so Prometheus can compute percentiles over all instances.
 */
@ApplicationScoped
public class InvoiceMetrics {

    private final MeterRegistry meters;

    public InvoiceMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /**
     * Records the time from the recorded acceptance of the push to a callback that changed or
     * flagged the invoice. A callback that arrives before the acceptance is recorded has no start
     * and is not timed.
     */
    public void recordCallback(Invoice invoice, Instant receivedAt) {
        if (invoice.acceptedAt() == null || receivedAt.isBefore(invoice.acceptedAt())) {
            return;
        }
        Timer.builder("malipo.callback.delay")
                .description("Time from Daraja accepting a push to its callback")
                .tag("environment", invoice.environment().name().toLowerCase(Locale.ROOT))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(meters)
                .record(Duration.between(invoice.acceptedAt(), receivedAt));
    }

    /** Records the time from the invoice's creation to its final state {@code state}. */
    public void recordSettled(Invoice invoice, InvoiceState state, Instant settledAt) {
        Timer.builder("malipo.invoice.time.to.final")
                .description("Time from creating an invoice to COMPLETE or FAILED")
                .tag("state", state.name())
                .tag("channel", invoice.channel().name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofHours(2))
                .register(meters)
                .record(Duration.between(invoice.createdAt(), settledAt).abs());
    }
}
