package co.malipo.admin.attention;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.admin.audit.AuditLog;
import co.malipo.core.daraja.StkResult;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.InvoiceState;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.reconcile.Reconciler;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Manual decisions on an invoice under four-eyes control: one user requests COMPLETE (with the
 * M-Pesa receipt) or FAILED with a note, and a different user approves or rejects. The database
 * rejects self-approval too. An approved decision goes through core's {@link Reconciler} as
 * evidence from source {@code MANUAL}, so the state change, the ledger credit, the webhook and the
 * receipt SMS happen exactly as for a callback. Request, approval and rejection are audited.
 */
@ApplicationScoped
public class ManualDecisions {

    static final int MAX_NOTE_LENGTH = 2000;

    /** A stored decision. */
    public record Decision(long id, String invoiceId, String decision, String receipt, String note, String status,
            String requestedBy, Instant requestedAt, String reviewedBy, Instant reviewedAt, String reviewNote) {

        public boolean isOpen() {
            return status.equals("REQUESTED");
        }
    }

    private final Db db;
    private final InvoiceRepository invoices;
    private final Reconciler reconciler;
    private final AuditLog audit;
    private final Clock clock;

    public ManualDecisions(Db db, InvoiceRepository invoices, Reconciler reconciler, AuditLog audit, Clock clock) {
        this.db = db;
        this.invoices = invoices;
        this.reconciler = reconciler;
        this.audit = audit;
        this.clock = clock;
    }

    public List<Decision> listForInvoice(String invoiceId) {
        return db.list("SELECT * FROM manual_decisions WHERE invoice_id = ? ORDER BY id", ManualDecisions::map,
                invoiceId);
    }

    /** Lists requests that wait for a second person, oldest first. */
    public List<Decision> listOpen(int limit) {
        return db.list("SELECT * FROM manual_decisions WHERE status = 'REQUESTED' ORDER BY requested_at, id LIMIT ?",
                ManualDecisions::map, limit);
    }

    /**
     * Records a request. COMPLETE needs a receipt and an invoice that is open or FAILED; FAILED
     * needs an open invoice. Throws {@link ValidationException} naming the field otherwise.
     */
    public Decision request(String invoiceId, String decision, String receipt, String note, String actor,
            String clientIp) {
        String text = note == null ? "" : note.trim();
        String cleanReceipt = receipt == null || receipt.isBlank() ? null : receipt.trim().toUpperCase(Locale.ROOT);
        Map<String, List<String>> errors = new LinkedHashMap<>();
        if (!"COMPLETE".equals(decision) && !"FAILED".equals(decision)) {
            errors.put("decision", List.of("Choose COMPLETE or FAILED."));
        }
        if ("COMPLETE".equals(decision) && (cleanReceipt == null || !cleanReceipt.matches("[A-Z0-9]{8,20}"))) {
            errors.put("receipt", List.of("COMPLETE needs the M-Pesa receipt: 8 to 20 letters and digits, as on"
                    + " the M-Pesa statement."));
        }
        if (text.isEmpty() || text.length() > MAX_NOTE_LENGTH) {
            errors.put("note", List.of("A note of 1 to " + MAX_NOTE_LENGTH + " characters is required: say which"
                    + " evidence supports the decision."));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        String storedReceipt = "COMPLETE".equals(decision) ? cleanReceipt : null;
        return QuarkusTransaction.requiringNew().call(() -> {
            Invoice invoice = invoices.lock(invoiceId).orElseThrow(() -> new ValidationException(
                    Map.of("invoice", List.of("Invoice " + invoiceId + " was not found."))));
            checkAllowed(invoice, decision);
            Optional<Decision> inserted = db.one("""
                    INSERT INTO manual_decisions (invoice_id, decision, receipt, note, status, requested_by, requested_at)
                    VALUES (?, ?, ?, ?, 'REQUESTED', ?, ?)
                    ON CONFLICT (invoice_id) WHERE status = 'REQUESTED' DO NOTHING RETURNING *
                    """, ManualDecisions::map, invoiceId, decision, storedReceipt, text, actor, clock.instant());
            if (inserted.isEmpty()) {
                throw new ValidationException(Map.of("decision", List.of("This invoice already has a decision"
                        + " waiting for approval. Approve or reject it first.")));
            }
            audit.record(actor, "DECISION_REQUESTED", "invoice", invoiceId, clientIp,
                    Map.of("state", invoice.state().name()), decisionMap(inserted.get()), text);
            return inserted.get();
        });
    }

    /**
     * Approves or rejects a request. The reviewer must not be the requester. An approval applies
     * the decision through the reconciler under the invoice's row lock.
     */
    public Decision review(long decisionId, boolean approve, String reviewNote, String actor, String clientIp) {
        String text = reviewNote == null ? "" : reviewNote.trim();
        if (text.length() > MAX_NOTE_LENGTH) {
            throw new ValidationException(Map.of("review_note", List.of("At most " + MAX_NOTE_LENGTH
                    + " characters.")));
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Decision decision = db.one("SELECT * FROM manual_decisions WHERE id = ? FOR UPDATE", ManualDecisions::map,
                    decisionId).orElseThrow(() -> new ValidationException(
                            Map.of("decision", List.of("Decision " + decisionId + " was not found."))));
            if (!decision.isOpen()) {
                throw new ValidationException(Map.of("decision", List.of("Decision " + decisionId + " was already "
                        + decision.status().toLowerCase(Locale.ROOT) + " by " + decision.reviewedBy() + ".")));
            }
            if (decision.requestedBy().equals(actor)) {
                throw new ValidationException(Map.of("decision", List.of("You requested this decision, so another"
                        + " user must approve or reject it.")));
            }
            Invoice invoice = invoices.lock(decision.invoiceId()).orElseThrow();
            Instant now = clock.instant();
            String before = invoice.state().name();
            if (approve) {
                checkAllowed(invoice, decision.decision());
            }
            db.update("UPDATE manual_decisions SET status = ?, reviewed_by = ?, reviewed_at = ?, review_note = ?"
                    + " WHERE id = ?", approve ? "APPROVED" : "REJECTED", actor, now, text.isEmpty() ? null : text,
                    decisionId);
            String after = before;
            if (approve) {
                Reconciler.Decision outcome = reconciler.apply(invoice, evidence(invoice, decision, actor), "MANUAL",
                        co.malipo.core.support.JsonText.of(decisionMap(decision)));
                after = invoices.find(invoice.id()).orElseThrow().state().name();
                if (outcome == Reconciler.Decision.HELD_FOR_REVIEW || outcome == Reconciler.Decision.UNCHANGED) {
                    // The reconciler's checks win, for example on a receipt that belongs to another invoice.
                    // Rolling back keeps the request open, so that a reviewer can reject it with a reason.
                    throw new ValidationException(Map.of("decision", List.of("The reconciler did not apply the"
                            + " decision (" + outcome + "). Check the receipt on the invoice timeline.")));
                }
            }
            Map<String, Object> afterMap = new LinkedHashMap<>(decisionMap(decision));
            afterMap.put("state", after);
            afterMap.put("status", approve ? "APPROVED" : "REJECTED");
            audit.record(actor, approve ? "DECISION_APPROVED" : "DECISION_REJECTED", "invoice", decision.invoiceId(),
                    clientIp, Map.of("state", before, "status", "REQUESTED"), afterMap, text.isEmpty() ? null : text);
            return db.one("SELECT * FROM manual_decisions WHERE id = ?", ManualDecisions::map, decisionId).orElseThrow();
        });
    }

    private static void checkAllowed(Invoice invoice, String decision) {
        boolean allowed = "COMPLETE".equals(decision)
                ? invoice.state() != InvoiceState.COMPLETE
                : invoice.state().isOpen();
        if (!allowed) {
            throw new ValidationException(Map.of("decision", List.of("A manual " + decision + " is not allowed on a "
                    + invoice.state() + " invoice: COMPLETE needs an open or FAILED invoice, FAILED an open one.")));
        }
    }

    private static StkResult evidence(Invoice invoice, Decision decision, String approver) {
        String description = "Manual decision " + decision.id() + " requested by " + decision.requestedBy()
                + ", approved by " + approver + ": " + decision.note();
        if ("COMPLETE".equals(decision.decision())) {
            return new StkResult(invoice.merchantRequestId(), invoice.checkoutRequestId(), "0", description,
                    invoice.value(), decision.receipt(), null, null);
        }
        return new StkResult(invoice.merchantRequestId(), invoice.checkoutRequestId(), "MANUAL", description, null,
                null, null, null);
    }

    private static Map<String, Object> decisionMap(Decision decision) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("decision_id", decision.id());
        map.put("decision", decision.decision());
        map.put("receipt", decision.receipt());
        map.put("requested_by", decision.requestedBy());
        return map;
    }

    private static Decision map(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Decision(row.getLong("id"), row.getString("invoice_id"), row.getString("decision"),
                row.getString("receipt"), row.getString("note"), row.getString("status"),
                row.getString("requested_by"), Db.instant(row, "requested_at"), row.getString("reviewed_by"),
                Db.instant(row, "reviewed_at"), row.getString("review_note"));
    }
}
