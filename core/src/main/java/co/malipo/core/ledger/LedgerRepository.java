package co.malipo.core.ledger;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.invoice.Invoice;
import co.malipo.core.support.Db;

/** Ledger entries and wallet balances. */
@ApplicationScoped
public class LedgerRepository {

    private final Db db;

    public LedgerRepository(Db db) {
        this.db = db;
    }

    /**
     * Credits an invoice's net amount to its wallet. The unique key on invoice and kind makes a
     * second credit a no-op; returns whether this call made the credit.
     */
    public boolean creditCollection(Invoice invoice, Instant now) {
        int inserted = db.update("INSERT INTO ledger_entries (invoice_id, wallet_id, kind, amount, created_at)"
                + " VALUES (?, ?, 'COLLECTION_CREDIT', ?, ?) ON CONFLICT (invoice_id, kind) DO NOTHING",
                invoice.id(), invoice.walletId(), invoice.netAmount(), now);
        if (inserted == 0) {
            return false;
        }
        db.update("UPDATE wallets SET balance = balance + ?, updated_at = ? WHERE id = ?",
                invoice.netAmount(), now, invoice.walletId());
        return true;
    }

    public int countCredits(String invoiceId) {
        return db.one("SELECT count(*) FROM ledger_entries WHERE invoice_id = ?", row -> row.getInt(1), invoiceId)
                .orElse(0);
    }

    public BigDecimal walletBalance(String walletId) {
        return db.one("SELECT balance FROM wallets WHERE id = ?", row -> row.getBigDecimal(1), walletId).orElseThrow();
    }
}
