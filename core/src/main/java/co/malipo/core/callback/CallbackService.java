package co.malipo.core.callback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.config.GatewayConfig;
import co.malipo.core.daraja.DarajaClient;
import co.malipo.core.daraja.QueryReply;
import co.malipo.core.daraja.StkCallbackParser;
import co.malipo.core.daraja.StkResult;
import co.malipo.core.daraja.UnreadableResultException;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.PhoneNumbers;
import co.malipo.core.invoice.TimelineRepository;
import co.malipo.core.observability.InvoiceMetrics;
import co.malipo.core.reconcile.Reconciler;
import co.malipo.core.support.JsonText;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

/**
 * Receives Daraja callbacks: stores the raw body in its own transaction first, so none is lost,
 * then applies it under the invoice's row lock. The URL's token names the invoice, so a callback
 * for a push whose reply was lost still finds its invoice. A success above
 * {@code malipo.reconcile.confirm-above} is applied only once a status query confirms it.
 */
@ApplicationScoped
public class CallbackService {

    private static final Logger LOG = Logger.getLogger(CallbackService.class);
    /** Retries of one stored callback before it is given up: about 17 hours with the growing delay. */
    static final int MAX_RETRIES = 45;
    static final Duration RETRY_STEP = Duration.ofSeconds(60);

    /** Outcome of one callback. */
    public enum Outcome {
        APPLIED,
        DUPLICATE,
        ORPHAN,
        UNREADABLE,
        /** Stored and recorded on the timeline, but not applied: a confirming query disagreed. */
        RECORDED,
        /** Stored, to be applied once a confirming query can be made. */
        WAITING
    }

    private final CallbackRepository callbacks;
    private final InvoiceRepository invoices;
    private final TimelineRepository timeline;
    private final Reconciler reconciler;
    private final AttentionRepository attention;
    private final DarajaClient daraja;
    private final GatewayConfig config;
    private final InvoiceMetrics metrics;
    private final Clock clock;

    public CallbackService(CallbackRepository callbacks, InvoiceRepository invoices, TimelineRepository timeline,
            Reconciler reconciler, AttentionRepository attention, DarajaClient daraja, GatewayConfig config,
            InvoiceMetrics metrics, Clock clock) {
        this.callbacks = callbacks;
        this.invoices = invoices;
        this.timeline = timeline;
        this.reconciler = reconciler;
        this.attention = attention;
        this.daraja = daraja;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Stores and applies one callback. The raw body is stored even when applying it fails. */
    public Outcome receive(String token, String body) {
        long id = QuarkusTransaction.requiringNew().call(() -> callbacks.store(token, body, clock.instant()));
        try {
            return process(id, token, body);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Callback %d is stored but could not be applied; it will be retried", id);
            return Outcome.WAITING;
        }
    }

    /**
     * Retries callbacks that were stored but not applied: those whose apply failed and successes
     * that wait for a confirming query. Each retry waits longer than the one before, and a
     * callback still unapplied after {@link #MAX_RETRIES} tries is given up and listed for a person.
     */
    @Scheduled(every = "${malipo.callback.retry-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void applyStored() {
        Instant now = clock.instant();
        List<CallbackRepository.Stored> due = QuarkusTransaction.requiringNew().call(() -> callbacks.claimRetries(
                now.minus(Duration.ofSeconds(10)), now, RETRY_STEP, 100));
        for (CallbackRepository.Stored stored : due) {
            if (stored.attempts() > MAX_RETRIES) {
                giveUp(stored, now);
                continue;
            }
            try {
                process(stored.id(), stored.token(), stored.body());
            } catch (RuntimeException e) {
                LOG.errorf(e, "Stored callback %d still cannot be applied (try %d of %d)", stored.id(), stored.attempts(),
                        MAX_RETRIES);
            }
        }
    }

    private void giveUp(CallbackRepository.Stored stored, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            callbacks.giveUp(stored.id(), now);
            attention.open("callback", Long.toString(stored.id()), AttentionRepository.Kind.ORPHAN_CALLBACK,
                    JsonText.of(Map.of("reason", "not applied after " + MAX_RETRIES + " retries")), now);
        });
        LOG.errorf("Stored callback %d was not applied after %d retries; listed as needing attention", stored.id(),
                MAX_RETRIES);
    }

    private Outcome process(long id, String token, String body) {
        QueryReply confirmation = confirmationIfNeeded(token, body);
        return QuarkusTransaction.requiringNew().call(() -> apply(id, token, body, confirmation));
    }

    /** Queries Daraja, with no transaction open, when the callback is a success large enough to need confirming. */
    private QueryReply confirmationIfNeeded(String token, String body) {
        StkResult result;
        try {
            result = StkCallbackParser.parse(body);
        } catch (UnreadableResultException e) {
            return null;
        }
        Optional<Invoice> invoice = invoices.findByCallbackToken(token);
        if (!result.isSuccess() || invoice.isEmpty() || !needsConfirmation(invoice.get())) {
            return null;
        }
        return daraja.query(invoice.get().darajaAccount(), result.checkoutRequestId());
    }

    private boolean needsConfirmation(Invoice invoice) {
        return invoice.value().compareTo(config.reconcile().confirmAbove()) > 0
                && invoice.state() != co.malipo.core.invoice.InvoiceState.COMPLETE;
    }

    private Outcome apply(long id, String token, String body, QueryReply confirmation) {
        Instant now = clock.instant();
        StkResult result;
        try {
            result = StkCallbackParser.parse(body);
        } catch (UnreadableResultException e) {
            callbacks.markOutcome(id, "UNREADABLE", null, null, null, now);
            attention.open("callback", Long.toString(id), AttentionRepository.Kind.ORPHAN_CALLBACK,
                    JsonText.of(Map.of("reason", e.getMessage())), now);
            LOG.warnf("Callback %d is unreadable: %s", id, e.getMessage());
            return Outcome.UNREADABLE;
        }

        Optional<Invoice> found = invoices.lockByCallbackToken(token);
        if (found.isEmpty()) {
            return orphan(id, result, "no invoice has this callback token", now);
        }
        Invoice invoice = found.get();
        String checkoutRequestId = result.checkoutRequestId();
        if (invoice.checkoutRequestId() == null) {
            Optional<String> owner = invoices.findIdByCheckoutRequestId(checkoutRequestId);
            if (owner.isPresent()) {
                return orphan(id, result, "its CheckoutRequestID belongs to invoice " + owner.get(), now);
            }
            invoices.recordCheckoutRequestId(invoice.id(), checkoutRequestId, result.merchantRequestId(),
                    now.plus(config.reconcile().queryDelays().get(0)));
            invoice = invoices.lock(invoice.id()).orElseThrow();
        } else if (!invoice.checkoutRequestId().equals(checkoutRequestId)) {
            return orphan(id, result, "its CheckoutRequestID differs from the one invoice " + invoice.id()
                    + " was given", now);
        }

        if (result.isSuccess() && needsConfirmation(invoice)) {
            Optional<Outcome> held = holdUnlessConfirmed(id, invoice, result, body, confirmation, now);
            if (held.isPresent()) {
                return held.get();
            }
        }
        Reconciler.Decision decision = reconciler.apply(invoice, result, "CALLBACK", body);
        Outcome outcome = switch (decision) {
            case UNCHANGED -> Outcome.DUPLICATE;
            case HELD_FOR_REVIEW -> Outcome.RECORDED;
            default -> Outcome.APPLIED;
        };
        callbacks.markOutcome(id, outcome.name(), invoice.id(), checkoutRequestId, result.resultCode(), now);
        if (outcome != Outcome.DUPLICATE) {
            metrics.recordCallback(invoice, now);
        }
        LOG.infof("Callback %d for invoice %s: result %s, %s", id, invoice.id(), result.resultCode(), decision);
        return outcome;
    }

    /**
     * Returns empty when the confirming query agrees. Otherwise records why the success was not
     * applied: a disagreeing query goes to review, and a query without a result leaves the
     * callback stored for the retry schedule.
     */
    private Optional<Outcome> holdUnlessConfirmed(long id, Invoice invoice, StkResult result, String body,
            QueryReply confirmation, Instant now) {
        if (confirmation instanceof QueryReply.Result query && query.result().isSuccess()) {
            timeline.add(invoice.id(), now, "CONFIRMED_BY_QUERY", "QUERY", invoice.state(), invoice.state(),
                    "A status query confirmed the callback's success", query.body());
            return Optional.empty();
        }
        if (confirmation instanceof QueryReply.Result query) {
            timeline.add(invoice.id(), now, "EVIDENCE_RECORDED", "CALLBACK", invoice.state(), invoice.state(),
                    "Success callback not applied: the confirming query answered " + query.result().resultCode(), body);
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("callback_id", id);
            evidence.put("callback_receipt", result.receipt());
            evidence.put("query_result_code", query.result().resultCode());
            evidence.put("query_result_desc", query.result().resultDesc());
            attention.open("invoice", invoice.id(), AttentionRepository.Kind.SOURCES_DISAGREE, JsonText.of(evidence), now);
            callbacks.markOutcome(id, "RECORDED", invoice.id(), result.checkoutRequestId(), result.resultCode(), now);
            LOG.warnf("Callback %d for invoice %s says success but the confirming query says %s; held for review",
                    id, invoice.id(), query.result().resultCode());
            return Optional.of(Outcome.RECORDED);
        }
        timeline.add(invoice.id(), now, "EVIDENCE_RECORDED", "CALLBACK", invoice.state(), invoice.state(),
                "Success callback waits for a confirming query, which had no answer yet", body);
        LOG.infof("Callback %d for invoice %s waits for a confirming query", id, invoice.id());
        return Optional.of(Outcome.WAITING);
    }

    private Outcome orphan(long id, StkResult result, String reason, Instant now) {
        callbacks.markOutcome(id, "ORPHAN", null, result.checkoutRequestId(), result.resultCode(), now);
        attention.open("callback", Long.toString(id), AttentionRepository.Kind.ORPHAN_CALLBACK,
                JsonText.of(Map.of("reason", reason, "checkout_request_id", result.checkoutRequestId())), now);
        LOG.warnf("Security: callback %d matched no invoice (%s); stored as an orphan for review", id,
                PhoneNumbers.maskWithin(reason));
        return Outcome.ORPHAN;
    }
}
