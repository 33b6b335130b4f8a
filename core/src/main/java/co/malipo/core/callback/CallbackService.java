package co.malipo.core.callback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.daraja.StkCallbackParser;
import co.malipo.core.daraja.StkResult;
import co.malipo.core.daraja.UnreadableResultException;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.reconcile.Reconciler;
import co.malipo.core.support.JsonText;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * Receives Daraja callbacks: stores the raw body in its own transaction first, so none is lost,
 * then applies it under the invoice's row lock. The URL's token names the invoice, so a callback
 * for a push whose reply was lost still finds its invoice.
 */
@ApplicationScoped
public class CallbackService {

    private static final Logger LOG = Logger.getLogger(CallbackService.class);

    private final CallbackRepository callbacks;
    private final InvoiceRepository invoices;
    private final Reconciler reconciler;
    private final AttentionRepository attention;
    private final Clock clock;

    public CallbackService(CallbackRepository callbacks, InvoiceRepository invoices, Reconciler reconciler,
            AttentionRepository attention, Clock clock) {
        this.callbacks = callbacks;
        this.invoices = invoices;
        this.reconciler = reconciler;
        this.attention = attention;
        this.clock = clock;
    }

    /** Stores and applies one callback. Returns once the raw body is stored, even if applying it failed. */
    public void receive(String token, String body) {
        long id = QuarkusTransaction.requiringNew().call(() -> callbacks.store(token, body, clock.instant()));
        try {
            QuarkusTransaction.requiringNew().run(() -> apply(id, token, body));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Callback %d is stored but could not be applied; it will be retried", id);
        }
    }

    /** Applies callbacks that were stored but not applied, oldest first. */
    @Scheduled(every = "${malipo.callback.retry-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void applyStored() {
        Instant before = clock.instant().minus(Duration.ofSeconds(10));
        for (CallbackRepository.Stored stored : callbacks.findUnapplied(before, 100)) {
            try {
                QuarkusTransaction.requiringNew().run(() -> apply(stored.id(), stored.token(), stored.body()));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Stored callback %d still cannot be applied", stored.id());
            }
        }
    }

    private void apply(long id, String token, String body) {
        Instant now = clock.instant();
        StkResult result;
        try {
            result = StkCallbackParser.parse(body);
        } catch (UnreadableResultException e) {
            callbacks.markOutcome(id, "UNREADABLE", null, null, null, now);
            attention.open("callback", Long.toString(id), AttentionRepository.Kind.ORPHAN_CALLBACK,
                    JsonText.of(Map.of("reason", e.getMessage())), now);
            LOG.warnf("Callback %d is unreadable: %s", id, e.getMessage());
            return;
        }

        Optional<Invoice> found = invoices.findByCallbackToken(token);
        if (found.isEmpty()) {
            orphan(id, result, "no invoice has this callback token", now);
            return;
        }
        Invoice invoice = invoices.lock(found.get().id()).orElseThrow();
        String checkoutRequestId = result.checkoutRequestId();
        if (invoice.checkoutRequestId() == null) {
            Optional<String> owner = invoices.findIdByCheckoutRequestId(checkoutRequestId);
            if (owner.isPresent()) {
                orphan(id, result, "its CheckoutRequestID belongs to invoice " + owner.get(), now);
                return;
            }
            invoices.recordCheckoutRequestId(invoice.id(), checkoutRequestId, result.merchantRequestId());
            invoice = invoices.lock(invoice.id()).orElseThrow();
        } else if (!invoice.checkoutRequestId().equals(checkoutRequestId)) {
            orphan(id, result, "its CheckoutRequestID differs from the one invoice " + invoice.id() + " was given", now);
            return;
        }

        Reconciler.Decision decision = reconciler.apply(invoice, result, "CALLBACK", body);
        String outcome = decision == Reconciler.Decision.UNCHANGED ? "DUPLICATE" : "APPLIED";
        callbacks.markOutcome(id, outcome, invoice.id(), checkoutRequestId, result.resultCode(), now);
        LOG.infof("Callback %d for invoice %s: result %s, %s", id, invoice.id(), result.resultCode(), decision);
    }

    private void orphan(long id, StkResult result, String reason, Instant now) {
        callbacks.markOutcome(id, "ORPHAN", null, result.checkoutRequestId(), result.resultCode(), now);
        attention.open("callback", Long.toString(id), AttentionRepository.Kind.ORPHAN_CALLBACK,
                JsonText.of(Map.of("reason", reason, "checkout_request_id", result.checkoutRequestId())), now);
        LOG.warnf("Callback %d is an orphan: %s", id, reason);
    }
}
