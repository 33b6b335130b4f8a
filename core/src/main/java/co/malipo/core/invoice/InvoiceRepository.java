package co.malipo.core.invoice;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;
import co.malipo.core.support.Ids;

/** Invoice rows and the customer ids they point at. */
@ApplicationScoped
public class InvoiceRepository {

    private final Db db;

    public InvoiceRepository(Db db) {
        this.db = db;
    }

    /**
     * Returns the stable customer id of a merchant's phone, creating it on first use. One statement
     * inserts or reads the row. When a concurrent transaction inserted the phone after that
     * statement's snapshot, the insert does nothing and the read sees nothing, so a second read,
     * with a new snapshot, finds that row.
     */
    public String customerId(String merchantId, String phone) {
        Optional<String> id = db.one("""
                WITH inserted AS (
                    INSERT INTO customers (id, merchant_id, phone) VALUES (?, ?, ?)
                    ON CONFLICT (merchant_id, phone) DO NOTHING
                    RETURNING id)
                SELECT id FROM inserted
                UNION ALL
                SELECT id FROM customers WHERE merchant_id = ? AND phone = ?
                LIMIT 1
                """, row -> row.getString(1), Ids.customerId(), merchantId, phone, merchantId, phone);
        return id.or(() -> db.one("SELECT id FROM customers WHERE merchant_id = ? AND phone = ?",
                row -> row.getString(1), merchantId, phone)).orElseThrow();
    }

    /**
     * Inserts a new PENDING invoice unless the same merchant already has an open push to this phone
     * with the same reference and amount; returns false in that case.
     */
    public boolean insertIfNoOpenTwin(Invoice invoice) {
        return db.update("""
                INSERT INTO invoices (id, session_id, merchant_id, environment, wallet_id, customer_id, channel, state,
                    phone, api_ref, currency, amount, value, charges, net_amount, mobile_tarrif, account_reference,
                    transaction_desc, daraja_account, callback_token, host, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, 'KES', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (merchant_id, environment, phone, api_ref, amount) WHERE state IN ('PENDING', 'PROCESSING')
                DO NOTHING
                """,
                invoice.id(), invoice.sessionId(), invoice.merchantId(), invoice.environment(), invoice.walletId(),
                invoice.customerId(), invoice.channel(), invoice.phone(), invoice.apiRef(), invoice.amount(),
                invoice.value(), invoice.charges(), invoice.netAmount(), invoice.mobileTarrif(),
                invoice.accountReference(), invoice.transactionDesc(), invoice.darajaAccount(),
                invoice.callbackToken(), invoice.host(), invoice.createdAt(), invoice.updatedAt()) == 1;
    }

    public Optional<String> findOpenTwin(String merchantId, Environment environment, String phone, String apiRef,
            java.math.BigDecimal amount) {
        return db.one("SELECT id FROM invoices WHERE merchant_id = ? AND environment = ? AND phone = ? AND api_ref = ?"
                + " AND amount = ? AND state IN ('PENDING', 'PROCESSING')", row -> row.getString(1),
                merchantId, environment, phone, apiRef, amount);
    }

    public Optional<Invoice> find(String id) {
        return db.one("SELECT * FROM invoices WHERE id = ?", Invoice::from, id);
    }

    /** Reads an invoice and locks its row until the transaction ends. */
    public Optional<Invoice> lock(String id) {
        return db.one("SELECT * FROM invoices WHERE id = ? FOR UPDATE", Invoice::from, id);
    }

    public Optional<Invoice> findByCallbackToken(String token) {
        return db.one("SELECT * FROM invoices WHERE callback_token = ?", Invoice::from, token);
    }

    /** Reads the invoice with this callback token and locks its row until the transaction ends. */
    public Optional<Invoice> lockByCallbackToken(String token) {
        return db.one("SELECT * FROM invoices WHERE callback_token = ? FOR UPDATE", Invoice::from, token);
    }

    public Optional<String> findIdByCheckoutRequestId(String checkoutRequestId) {
        return db.one("SELECT id FROM invoices WHERE checkout_request_id = ?", row -> row.getString(1), checkoutRequestId);
    }

    public Optional<String> findIdByReceipt(String receipt) {
        return db.one("SELECT id FROM invoices WHERE mpesa_reference = ?", row -> row.getString(1), receipt);
    }

    /**
     * Records Daraja's ids for an accepted push, moves a PENDING invoice to PROCESSING and, while it
     * is open, schedules its first status query.
     */
    public void markAccepted(String id, String merchantRequestId, String checkoutRequestId, Instant now,
            Instant firstQueryAt) {
        db.update("""
                UPDATE invoices SET merchant_request_id = COALESCE(merchant_request_id, ?),
                    checkout_request_id = COALESCE(checkout_request_id, ?),
                    next_query_at = CASE WHEN state IN ('PENDING', 'PROCESSING') THEN COALESCE(next_query_at, ?) END,
                    state = CASE WHEN state = 'PENDING' THEN 'PROCESSING' ELSE state END,
                    accepted_at = COALESCE(accepted_at, ?), last_evidence_at = ?,
                    outcome_unknown = false, updated_at = ?
                WHERE id = ?
                """, merchantRequestId, checkoutRequestId, firstQueryAt, now, now, now, id);
    }

    /** Notes that evidence about the invoice arrived, which postpones the status call's own query. */
    public void touchEvidence(String id, Instant now) {
        db.update("UPDATE invoices SET last_evidence_at = ? WHERE id = ?", now, id);
    }

    public void markOutcomeUnknown(String id, Instant now) {
        db.update("UPDATE invoices SET outcome_unknown = true, updated_at = ? WHERE id = ? AND state IN ('PENDING', 'PROCESSING')",
                now, id);
    }

    /** Binds a CheckoutRequestID learnt from a callback and, so that it can be queried, schedules a query. */
    public void recordCheckoutRequestId(String id, String checkoutRequestId, String merchantRequestId,
            Instant firstQueryAt) {
        db.update("UPDATE invoices SET checkout_request_id = ?, merchant_request_id = COALESCE(merchant_request_id, ?),"
                + " next_query_at = COALESCE(next_query_at, ?) WHERE id = ? AND checkout_request_id IS NULL",
                checkoutRequestId, merchantRequestId, firstQueryAt, id);
    }

    /** Moves an invoice to COMPLETE; a receipt, if given, fills {@code mpesa_reference}. */
    public void markComplete(String id, String receipt, java.math.BigDecimal paidAmount, boolean lateSuccess, Instant now) {
        db.update("""
                UPDATE invoices SET state = 'COMPLETE', mpesa_reference = COALESCE(?, mpesa_reference),
                    paid_amount = COALESCE(?, paid_amount), late_success = late_success OR ?, outcome_unknown = false,
                    next_query_at = NULL, query_lease_until = NULL, last_evidence_at = ?, updated_at = ?, finished_at = ?
                WHERE id = ?
                """, receipt, paidAmount, lateSuccess, now, now, now, id);
    }

    public void markFailed(String id, String code, String reason, String failureClass, Instant now) {
        db.update("""
                UPDATE invoices SET state = 'FAILED', failed_code = ?, failed_reason = ?, failure_class = ?,
                    outcome_unknown = false, next_query_at = NULL, query_lease_until = NULL, last_evidence_at = ?,
                    updated_at = ?, finished_at = ?
                WHERE id = ?
                """, code, reason, failureClass, now, now, now, id);
    }

    /** Fills the receipt of a COMPLETE invoice that a query completed without one. */
    public void fillReceipt(String id, String receipt, java.math.BigDecimal paidAmount, Instant now) {
        db.update("UPDATE invoices SET mpesa_reference = ?, paid_amount = COALESCE(?, paid_amount), updated_at = ?"
                + " WHERE id = ? AND mpesa_reference IS NULL", receipt, paidAmount, now, id);
    }

    /**
     * Takes the next webhook event number of an invoice and returns the invoice as updated, whose
     * {@code eventSequence} is that number; call with its row locked.
     */
    public Invoice nextEventSequence(String id) {
        return db.one("UPDATE invoices SET event_sequence = event_sequence + 1 WHERE id = ? RETURNING *",
                Invoice::from, id).orElseThrow();
    }
}
