package co.malipo.core.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.config.GatewayConfig;
import co.malipo.core.daraja.DarajaClient;
import co.malipo.core.daraja.FailureClass;
import co.malipo.core.daraja.PushExchange;
import co.malipo.core.daraja.PushReply;
import co.malipo.core.daraja.StkPushRequest;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.InvoiceState;
import co.malipo.core.invoice.PhoneNumbers;
import co.malipo.core.invoice.TimelineRepository;
import co.malipo.core.merchant.Environment;
import co.malipo.core.observability.InvoiceMetrics;
import co.malipo.core.support.DatabaseErrors;
import co.malipo.core.support.JsonText;
import co.malipo.core.webhook.WebhookOutbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/** Sends one claimed push to Daraja and records what came of it, following the table of Daraja replies. */
@ApplicationScoped
public class PushSender {

    private static final Logger LOG = Logger.getLogger(PushSender.class);
    /** Pause between attempts to record a push reply while the database is down. */
    private static final Duration RECORD_RETRY_DELAY = Duration.ofSeconds(1);
    /** Shown to merchants instead of Daraja's text, which may describe our credentials. */
    static final String CONFIGURATION_REASON =
            "The payment provider rejected the gateway's configuration. The operator has been alerted.";

    private final DarajaClient daraja;
    private final InvoiceRepository invoices;
    private final TimelineRepository timeline;
    private final PushJobs jobs;
    private final PhonePrompts phones;
    private final WebhookOutbox outbox;
    private final AttentionRepository attention;
    private final GatewayConfig config;
    private final MeterRegistry meters;
    private final InvoiceMetrics invoiceMetrics;
    private final Clock clock;

    public PushSender(DarajaClient daraja, InvoiceRepository invoices, TimelineRepository timeline, PushJobs jobs,
            PhonePrompts phones, WebhookOutbox outbox, AttentionRepository attention, GatewayConfig config,
            MeterRegistry meters, InvoiceMetrics invoiceMetrics, Clock clock) {
        this.daraja = daraja;
        this.invoices = invoices;
        this.timeline = timeline;
        this.jobs = jobs;
        this.phones = phones;
        this.outbox = outbox;
        this.attention = attention;
        this.config = config;
        this.meters = meters;
        this.invoiceMetrics = invoiceMetrics;
        this.clock = clock;
    }

    void send(PushJobs.Claim claim) {
        Invoice invoice = invoices.find(claim.invoiceId()).orElseThrow();
        if (invoice.state() != InvoiceState.PENDING || invoice.checkoutRequestId() != null) {
            QuarkusTransaction.requiringNew().run(() -> {
                jobs.markDone(invoice.id());
                if (!invoice.state().isOpen()) {
                    phones.release(invoice);
                }
            });
            return;
        }
        Optional<String> callbackBase = callbackBase(invoice.environment());
        if (callbackBase.isEmpty()) {
            PushReply.Rejected missing = new PushReply.Rejected("CONFIGURATION",
                    "malipo.callback.public-base-url is not set, so Daraja would have nowhere to send the result",
                    0, FailureClass.CONFIGURATION, null);
            QuarkusTransaction.requiringNew().run(() -> recordRejected(invoice, missing, new PushExchange("{}", missing)));
            return;
        }
        String callbackUrl = callbackBase.get() + "/daraja/callback/" + invoice.callbackToken();
        StkPushRequest request = new StkPushRequest(invoice.value().longValueExact(), invoice.phone(), callbackUrl,
                invoice.accountReference(), invoice.transactionDesc());
        PushExchange exchange = daraja.push(invoice.darajaAccount(), request);
        PushReply reply = exchange.reply();
        meters.counter("malipo.push.outcomes", "outcome", reply.getClass().getSimpleName().toLowerCase()).increment();

        if (reply instanceof PushReply.Accepted accepted) {
            recordOutcome(invoice.id(), () -> recordAccepted(invoice.id(), accepted, exchange));
        } else if (reply instanceof PushReply.Rejected rejected) {
            recordOutcome(invoice.id(), () -> recordRejected(invoice, rejected, exchange));
        } else if (reply instanceof PushReply.NotSent notSent) {
            recordOutcome(invoice.id(), () -> recordNotSent(invoice.id(), claim, notSent));
        } else if (reply instanceof PushReply.Unknown unknown) {
            recordOutcome(invoice.id(), () -> recordUnknown(invoice.id(), unknown.reason(),
                    payload(exchange.sanitisedRequest(), unknown.body())));
        }
    }

    /**
     * Records what Daraja replied in a new transaction. While the database cannot be reached, tries
     * again every second until the push's lease ends, because the reply, with its CheckoutRequestID,
     * exists only in memory: without it a lost callback could never be matched by a status query.
     */
    private void recordOutcome(String invoiceId, Runnable record) {
        Instant giveUp = Instant.now().plus(config.push().lease());
        int attempt = 1;
        while (true) {
            try {
                QuarkusTransaction.requiringNew().run(record);
                if (attempt > 1) {
                    LOG.infof("Recorded the push reply of invoice %s at attempt %d, after the database came back",
                            invoiceId, attempt);
                }
                return;
            } catch (RuntimeException e) {
                if (!DatabaseErrors.isUnavailable(e) || Instant.now().isAfter(giveUp)) {
                    throw e;
                }
                if (attempt == 1) {
                    LOG.warnf("Database unavailable while recording the push reply of invoice %s; trying again"
                            + " every second until the lease ends: %s", invoiceId, e.getMessage());
                }
            }
            attempt++;
            try {
                Thread.sleep(RECORD_RETRY_DELAY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to record the push reply of invoice "
                        + invoiceId, e);
            }
        }
    }

    /** Marks the invoice of an attempted push whose worker died as outcome unknown; it is never pushed again. */
    void markLeaseExpired(String invoiceId) {
        QuarkusTransaction.requiringNew().run(() -> recordUnknown(invoiceId,
                "The push's lease expired before its reply was recorded", null));
    }

    private Optional<String> callbackBase(Environment environment) {
        if (environment == Environment.TEST) {
            return Optional.of(config.callback().simulatorBaseUrl());
        }
        return config.callback().publicBaseUrl();
    }

    private void recordAccepted(String invoiceId, PushReply.Accepted accepted, PushExchange exchange) {
        Instant now = clock.instant();
        Invoice locked = invoices.lock(invoiceId).orElseThrow();
        invoices.markAccepted(invoiceId, accepted.merchantRequestId(), accepted.checkoutRequestId(), now,
                now.plus(config.reconcile().queryDelays().get(0)));
        boolean moved = locked.state() == InvoiceState.PENDING;
        timeline.add(invoiceId, now, "PUSH_ACCEPTED", "DARAJA", locked.state(),
                moved ? InvoiceState.PROCESSING : locked.state(), accepted.description(),
                payload(exchange.sanitisedRequest(), accepted.body()));
        if (moved) {
            outbox.add(invoiceId, now);
        }
        jobs.markDone(invoiceId);
    }

    private void recordRejected(Invoice invoice, PushReply.Rejected rejected, PushExchange exchange) {
        Instant now = clock.instant();
        Invoice locked = invoices.lock(invoice.id()).orElseThrow();
        jobs.markDone(invoice.id());
        boolean configuration = rejected.failureClass() == FailureClass.CONFIGURATION;
        String reason = configuration ? CONFIGURATION_REASON : rejected.errorMessage();
        timeline.add(invoice.id(), now, "PUSH_REJECTED", "DARAJA", locked.state(),
                locked.state() == InvoiceState.PENDING ? InvoiceState.FAILED : locked.state(),
                rejected.errorCode() + " " + rejected.errorMessage(), payload(exchange.sanitisedRequest(), rejected.body()));
        if (configuration) {
            meters.counter("malipo.daraja.configuration.errors", "account", invoice.darajaAccount()).increment();
            LOG.errorf("Daraja rejected the configuration of account %s: %s %s (invoice %s)", invoice.darajaAccount(),
                    rejected.errorCode(), rejected.errorMessage(), invoice.id());
            attention.open("daraja_account", invoice.darajaAccount(), AttentionRepository.Kind.CONFIGURATION_ERROR,
                    JsonText.of(Map.of("invoice_id", invoice.id(), "error_code", rejected.errorCode(),
                            "error_message", String.valueOf(rejected.errorMessage()))), now);
        } else {
            LOG.infof("Daraja rejected the push of invoice %s to %s: %s %s", invoice.id(),
                    PhoneNumbers.mask(invoice.phone()), rejected.errorCode(), rejected.errorMessage());
        }
        if (locked.state() == InvoiceState.PENDING && locked.checkoutRequestId() == null) {
            invoices.markFailed(invoice.id(), rejected.errorCode(), reason, rejected.failureClass().name(), now);
            invoiceMetrics.recordSettled(locked, InvoiceState.FAILED, now);
            outbox.add(invoice.id(), now);
            // A definite rejection means no prompt is open for this push, so the phone is free.
            phones.release(locked);
        }
    }

    private void recordNotSent(String invoiceId, PushJobs.Claim claim, PushReply.NotSent notSent) {
        Instant now = clock.instant();
        Duration window = config.push().connectRetryWindow();
        if (claim.firstTryAt() == null || now.isBefore(claim.firstTryAt().plus(window))) {
            // The invoice keeps its phone, so other pushes to it wait behind this retry.
            jobs.requeue(invoiceId, now.plus(config.push().connectRetryDelay()));
            timeline.add(invoiceId, now, "PUSH_NOT_SENT", "GATEWAY", null, null,
                    notSent.reason() + "; trying again", null);
            LOG.warnf("Push of invoice %s was not sent (%s); trying again", invoiceId, notSent.reason());
            return;
        }
        Invoice locked = invoices.lock(invoiceId).orElseThrow();
        jobs.markDone(invoiceId);
        timeline.add(invoiceId, now, "PUSH_NOT_SENT", "GATEWAY", locked.state(), InvoiceState.FAILED,
                notSent.reason() + "; gave up after " + window.toSeconds() + " s", null);
        LOG.errorf("Push of invoice %s was never sent within %d s: %s", invoiceId, window.toSeconds(), notSent.reason());
        if (locked.state() == InvoiceState.PENDING) {
            invoices.markFailed(invoiceId, "NOT_SENT", "The gateway could not reach M-Pesa; the customer was not prompted.",
                    FailureClass.RETRYABLE.name(), now);
            invoiceMetrics.recordSettled(locked, InvoiceState.FAILED, now);
            outbox.add(invoiceId, now);
            phones.release(locked);
        }
    }

    private void recordUnknown(String invoiceId, String reason, String payload) {
        Instant now = clock.instant();
        Invoice locked = invoices.lock(invoiceId).orElseThrow();
        jobs.markDone(invoiceId);
        // The phone stays held until the hold window ends, because the customer may see the prompt.
        invoices.markOutcomeUnknown(invoiceId, now);
        String next = locked.state().isOpen()
                ? "; the push will not be sent again and a callback can still settle it"
                : "; the invoice was already settled by its callback";
        timeline.add(invoiceId, now, "PUSH_OUTCOME_UNKNOWN", "GATEWAY", null, null, reason + next, payload);
        LOG.warnf("Outcome of the push of invoice %s is unknown: %s", invoiceId, reason);
    }

    private static String payload(String request, String reply) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("request", request);
        fields.put("reply", reply);
        return JsonText.of(fields);
    }
}
