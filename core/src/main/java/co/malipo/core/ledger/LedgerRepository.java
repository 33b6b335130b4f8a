package co.malipo.core.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import co.malipo.core.invoice.Invoice;
import co.malipo.core.support.Db;

/** Ledger entries and wallet balances. */
@ApplicationScoped
public class LedgerRepository {

    /** Key of the transaction resource that sums this transaction's credits per wallet. */
    private static final Object PENDING_CREDITS = LedgerRepository.class.getName() + ".pendingCredits";

    private final Db db;
    private final TransactionSynchronizationRegistry transactions;

    public LedgerRepository(Db db, TransactionSynchronizationRegistry transactions) {
        this.db = db;
        this.transactions = transactions;
    }

    /**
     * Credits an invoice's net amount to its wallet. The unique key on invoice and kind makes a
     * second credit a no-op; returns whether this call made the credit. It must run inside a
     * transaction, because the ledger row is written now and the wallet balance just before the commit.
     *
     * <p>Every credit of a merchant updates the same wallet row, and the row lock lasts until the
     * commit. Updating the balance as the transaction's last statement keeps that lock for the
     * commit alone, instead of for every statement the settling transaction sends after the credit.
     */
    public boolean creditCollection(Invoice invoice, Instant now) {
        if (transactions.getTransactionStatus() != Status.STATUS_ACTIVE) {
            throw new IllegalStateException("Crediting invoice " + invoice.id()
                    + " needs an active transaction, so that the ledger row and the balance commit together");
        }
        int inserted = db.update("INSERT INTO ledger_entries (invoice_id, wallet_id, kind, amount, created_at)"
                + " VALUES (?, ?, 'COLLECTION_CREDIT', ?, ?) ON CONFLICT (invoice_id, kind) DO NOTHING",
                invoice.id(), invoice.walletId(), invoice.netAmount(), now);
        if (inserted == 0) {
            return false;
        }
        addToBalanceBeforeCommit(invoice.walletId(), invoice.netAmount(), now);
        return true;
    }

    private void addToBalanceBeforeCommit(String walletId, BigDecimal amount, Instant now) {
        PendingCredits pending = (PendingCredits) transactions.getResource(PENDING_CREDITS);
        if (pending == null) {
            pending = new PendingCredits();
            transactions.putResource(PENDING_CREDITS, pending);
            transactions.registerInterposedSynchronization(pending);
        }
        pending.add(walletId, amount, now);
    }

    public int countCredits(String invoiceId) {
        return db.one("SELECT count(*) FROM ledger_entries WHERE invoice_id = ?", row -> row.getInt(1), invoiceId)
                .orElse(0);
    }

    /**
     * Reads a wallet's stored balance. NOTE: inside a transaction that has credited the wallet, the
     * result leaves those credits out, because they reach the wallet row only at the commit.
     */
    public BigDecimal walletBalance(String walletId) {
        return db.one("SELECT balance FROM wallets WHERE id = ?", row -> row.getBigDecimal(1), walletId).orElseThrow();
    }

    /**
     * One transaction's credits summed per wallet, written to the wallets just before the commit. The
     * map is sorted, so every transaction updates its wallet rows in id order and two transactions
     * crediting the same wallets do not deadlock on those rows.
     */
    private final class PendingCredits implements Synchronization {

        private final Map<String, BigDecimal> sums = new TreeMap<>();
        private Instant latest;

        void add(String walletId, BigDecimal amount, Instant now) {
            sums.merge(walletId, amount, BigDecimal::add);
            latest = now;
        }

        @Override
        public void beforeCompletion() {
            // An exception here rolls the transaction back, ledger rows included.
            sums.forEach((walletId, sum) -> db.update(
                    "UPDATE wallets SET balance = balance + ?, updated_at = ? WHERE id = ?", sum, latest, walletId));
        }

        @Override
        public void afterCompletion(int status) {
        }
    }
}
