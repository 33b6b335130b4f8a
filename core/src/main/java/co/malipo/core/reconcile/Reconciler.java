package co.malipo.core.reconcile;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.daraja.ResultCodes;
import co.malipo.core.daraja.StkResult;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.InvoiceState;
import co.malipo.core.invoice.TimelineRepository;
import co.malipo.core.ledger.LedgerRepository;
import co.malipo.core.observability.InvoiceMetrics;
import co.malipo.core.push.PhonePrompts;
import co.malipo.core.sms.SmsReceipts;
import co.malipo.core.support.JsonText;
import co.malipo.core.webhook.WebhookOutbox;
import org.jboss.logging.Logger;

/**
 * The one place where evidence about a push (a callback or a query result) changes an invoice.
 * Callers hold the invoice's row lock in an open transaction. Every decision, including "no
 * change", is written to the timeline with its source and payload. An invoice that settles here
 * frees its phone ({@link PhonePrompts#release}) in the same transaction.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    /** Effect of applying one piece of evidence. */
    public enum Decision {
        COMPLETED,
        COMPLETED_LATE,
        FAILED,
        RECEIPT_FILLED,
        UNCHANGED,
        HELD_FOR_REVIEW
    }

    private final InvoiceRepository invoices;
    private final TimelineRepository timeline;
    private final LedgerRepository ledger;
    private final WebhookOutbox outbox;
    private final AttentionRepository attention;
    private final PhonePrompts phones;
    private final SmsReceipts receipts;
    private final InvoiceMetrics metrics;
    private final Clock clock;

    public Reconciler(InvoiceRepository invoices, TimelineRepository timeline, LedgerRepository ledger,
            WebhookOutbox outbox, AttentionRepository attention, PhonePrompts phones, SmsReceipts receipts,
            InvoiceMetrics metrics, Clock clock) {
        this.invoices = invoices;
        this.timeline = timeline;
        this.ledger = ledger;
        this.outbox = outbox;
        this.attention = attention;
        this.phones = phones;
        this.receipts = receipts;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Applies a result to a locked invoice. {@code source} is {@code CALLBACK} or {@code QUERY}. */
    public Decision apply(Invoice invoice, StkResult result, String source, String payload) {
        Instant now = clock.instant();
        Decision decision = result.isSuccess()
                ? applySuccess(invoice, result, source, payload, now)
                : applyFailure(invoice, result, source, payload, now);
        // Settling sets last_evidence_at in the same UPDATE, so only the other decisions write it here.
        switch (decision) {
            case COMPLETED, COMPLETED_LATE -> metrics.recordSettled(invoice, InvoiceState.COMPLETE, now);
            case FAILED -> metrics.recordSettled(invoice, InvoiceState.FAILED, now);
            default -> invoices.touchEvidence(invoice.id(), now);
        }
        return decision;
    }

    private Decision applySuccess(Invoice invoice, StkResult result, String source, String payload, Instant now) {
        String receipt = result.receipt();
        if (invoice.state() == InvoiceState.COMPLETE) {
            return applyToComplete(invoice, result, source, payload, now);
        }
        if (receipt == null && invoice.state() == InvoiceState.FAILED) {
            note(invoice, source, payload, now, "Success without a receipt on a FAILED invoice; held for review");
            flag(invoice, AttentionRepository.Kind.SOURCES_DISAGREE, source, result, now);
            return Decision.HELD_FOR_REVIEW;
        }
        if (result.amount() == null && "CALLBACK".equals(source)) {
            note(invoice, source, payload, now, "Success callback without an Amount item; held for review");
            flag(invoice, AttentionRepository.Kind.AMOUNT_MISMATCH, source, result, now);
            return Decision.HELD_FOR_REVIEW;
        }
        if (result.amount() == null && hasOpenItem(invoice, AttentionRepository.Kind.AMOUNT_MISMATCH)) {
            note(invoice, source, payload, now, "Success reported, but an earlier result gave another amount and is"
                    + " still under review; held");
            return Decision.HELD_FOR_REVIEW;
        }
        if (result.amount() != null && result.amount().compareTo(invoice.value()) != 0) {
            note(invoice, source, payload, now, "Paid amount " + result.amount().toPlainString()
                    + " differs from the pushed amount " + invoice.value().toPlainString() + "; held for review");
            flag(invoice, AttentionRepository.Kind.AMOUNT_MISMATCH, source, result, now);
            return Decision.HELD_FOR_REVIEW;
        }
        if (receipt != null) {
            String owner = invoices.findIdByReceipt(receipt).orElse(invoice.id());
            if (!owner.equals(invoice.id())) {
                note(invoice, source, payload, now, "Receipt " + receipt + " already belongs to invoice " + owner);
                flag(invoice, AttentionRepository.Kind.SOURCES_DISAGREE, source, result, now);
                return Decision.HELD_FOR_REVIEW;
            }
        }

        boolean late = invoice.state() == InvoiceState.FAILED;
        invoices.markComplete(invoice.id(), receipt, result.amount(), late, now);
        phones.release(invoice);
        timeline.add(invoice.id(), now, "STATE_CHANGED", source, invoice.state(), InvoiceState.COMPLETE,
                late ? "Late success after FAILED: " + ResultCodes.cleanDescription(result.resultDesc())
                        : ResultCodes.cleanDescription(result.resultDesc()),
                payload);
        // Completing changes neither the wallet nor the net amount, so the locked row is enough for the credit.
        boolean credited = ledger.creditCollection(invoice, now);
        if (credited) {
            timeline.add(invoice.id(), now, "LEDGER_CREDIT", "LEDGER", null, null,
                    "Credited " + invoice.netAmount().toPlainString() + " KES to wallet " + invoice.walletId(), null);
        }
        if (late) {
            flag(invoice, AttentionRepository.Kind.LATE_SUCCESS, source, result, now);
            LOG.warnf("Invoice %s completed after it had failed (late success)", invoice.id());
        }
        Invoice completed = outbox.add(invoice.id(), now);
        receipts.queueOutcome(completed);
        return late ? Decision.COMPLETED_LATE : Decision.COMPLETED;
    }

    private Decision applyToComplete(Invoice invoice, StkResult result, String source, String payload, Instant now) {
        String receipt = result.receipt();
        if (result.amount() != null && result.amount().compareTo(invoice.value()) != 0) {
            note(invoice, source, payload, now, "A success for " + result.amount().toPlainString()
                    + " on an invoice completed for " + invoice.value().toPlainString() + "; held for review");
            flag(invoice, AttentionRepository.Kind.AMOUNT_MISMATCH, source, result, now);
            return Decision.HELD_FOR_REVIEW;
        }
        Optional<String> owner = receipt == null ? Optional.empty() : invoices.findIdByReceipt(receipt);
        if (owner.isPresent() && !owner.get().equals(invoice.id())) {
            note(invoice, source, payload, now, "Receipt " + receipt + " already belongs to invoice " + owner.get());
            flag(invoice, AttentionRepository.Kind.SOURCES_DISAGREE, source, result, now);
            return Decision.HELD_FOR_REVIEW;
        }
        if (receipt != null && invoice.mpesaReference() == null) {
            invoices.fillReceipt(invoice.id(), receipt, result.amount(), now);
            note(invoice, source, payload, now, "Receipt " + receipt + " recorded on the completed invoice");
            outbox.add(invoice.id(), now);
            return Decision.RECEIPT_FILLED;
        }
        if (receipt != null && invoice.mpesaReference() != null && !receipt.equals(invoice.mpesaReference())) {
            note(invoice, source, payload, now, "A second success with another receipt; recorded, not applied");
            attention.open("invoice", invoice.id(), AttentionRepository.Kind.SOURCES_DISAGREE,
                    JsonText.of(Map.of("source", source, "receipt", receipt)), now);
            return Decision.HELD_FOR_REVIEW;
        }
        note(invoice, source, payload, now, "Duplicate success; already COMPLETE");
        return Decision.UNCHANGED;
    }

    private Decision applyFailure(Invoice invoice, StkResult result, String source, String payload, Instant now) {
        ResultCodes.Entry entry = ResultCodes.lookup(result.resultCode(), result.resultDesc());
        String reason = ResultCodes.cleanDescription(result.resultDesc());
        if (reason == null) {
            reason = entry.reason();
        }
        if (invoice.state() == InvoiceState.COMPLETE) {
            note(invoice, source, payload, now, "Failure " + result.resultCode() + " after COMPLETE; recorded, not applied");
            flag(invoice, AttentionRepository.Kind.SOURCES_DISAGREE, source, result, now);
            return Decision.HELD_FOR_REVIEW;
        }
        if (invoice.state() == InvoiceState.FAILED) {
            note(invoice, source, payload, now, "Failure " + result.resultCode() + " repeated; already FAILED");
            return Decision.UNCHANGED;
        }
        invoices.markFailed(invoice.id(), entry.code(), reason, entry.failureClass().name(), now);
        phones.release(invoice);
        timeline.add(invoice.id(), now, "STATE_CHANGED", source, invoice.state(), InvoiceState.FAILED,
                result.resultCode() + " " + reason, payload);
        receipts.queueOutcome(outbox.add(invoice.id(), now));
        return Decision.FAILED;
    }

    private boolean hasOpenItem(Invoice invoice, AttentionRepository.Kind kind) {
        return attention.listOpen("invoice", invoice.id()).stream().anyMatch(item -> item.kind().equals(kind.name()));
    }

    private void note(Invoice invoice, String source, String payload, Instant now, String text) {
        timeline.add(invoice.id(), now, "EVIDENCE_RECORDED", source, invoice.state(), invoice.state(), text, payload);
    }

    private void flag(Invoice invoice, AttentionRepository.Kind kind, String source, StkResult result, Instant now) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("source", source);
        evidence.put("result_code", result.resultCode());
        evidence.put("result_desc", result.resultDesc());
        evidence.put("receipt", result.receipt());
        evidence.put("amount", result.amount() == null ? null : result.amount().toPlainString());
        attention.open("invoice", invoice.id(), kind, JsonText.of(evidence), now);
    }
}
