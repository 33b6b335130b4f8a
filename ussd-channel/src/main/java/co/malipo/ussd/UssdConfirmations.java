package co.malipo.ussd;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;

/** The invoice each USSD session's confirmation created ({@code ussd_confirmations}). */
@ApplicationScoped
public class UssdConfirmations {

    private final Db db;

    public UssdConfirmations(Db db) {
        this.db = db;
    }

    public Optional<String> findInvoiceId(String sessionId) {
        return db.one("SELECT invoice_id FROM ussd_confirmations WHERE session_id = ?", row -> row.getString(1),
                sessionId);
    }

    /** Inserts the session's invoice. Throws a unique violation when the session already has one. */
    public void insert(String sessionId, String invoiceId) {
        db.update("INSERT INTO ussd_confirmations (session_id, invoice_id) VALUES (?, ?)", sessionId, invoiceId);
    }
}
