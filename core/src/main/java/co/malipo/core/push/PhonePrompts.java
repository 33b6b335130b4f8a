package co.malipo.core.push;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import co.malipo.core.invoice.Invoice;
import co.malipo.core.merchant.Environment;
import co.malipo.core.support.Db;

/**
 * The {@code phone_prompts} table: which invoice holds each phone's one open STK prompt. Daraja
 * rejects a push to a customer who has a prompt open, so the push worker sends a push only after
 * {@link #take} succeeds, and the primary key lets one invoice per phone hold the row across all
 * instances.
 *
 * <p>A hold ends when its invoice settles (COMPLETE or FAILED) or when {@code held_until} has
 * passed. An open invoice whose push outcome is unknown keeps its hold until then, because its
 * customer may still see the prompt. Hold times use the database clock, so instances whose
 * clocks differ agree on when a hold ends.
 */
@ApplicationScoped
public class PhonePrompts {

    /** Event fired when a settled invoice gives up its phone. {@link PushWorker} observes it after the commit. */
    public record Released(String invoiceId) {
    }

    private final Db db;
    private final Event<Released> released;

    public PhonePrompts(Db db, Event<Released> released) {
        this.db = db;
        this.released = released;
    }

    /**
     * Takes the phone for a push about to be sent: inserts its row, or takes over a row whose
     * invoice has settled, whose hold has ended, or that this invoice already holds. Returns false
     * while another invoice holds the phone. The hold lasts {@code window} from now.
     */
    public boolean take(Environment environment, String phone, String invoiceId, Duration window) {
        // The condition tests whether the holder has settled, not whether it is open, because a holder
        // committed after this statement's snapshot is invisible to the subquery and must count as open.
        return db.update("""
                INSERT INTO phone_prompts AS held (environment, phone, invoice_id, held_until)
                VALUES (?, ?, ?, now() + make_interval(secs => ?))
                ON CONFLICT (environment, phone) DO UPDATE
                    SET invoice_id = EXCLUDED.invoice_id, held_until = EXCLUDED.held_until
                    WHERE held.invoice_id = EXCLUDED.invoice_id
                       OR held.held_until <= now()
                       OR EXISTS (SELECT 1 FROM invoices holder WHERE holder.id = held.invoice_id
                                  AND holder.state NOT IN ('PENDING', 'PROCESSING'))
                """, environment, phone, invoiceId, window.toMillis() / 1000.0) == 1;
    }

    /**
     * Frees the invoice's phone if the invoice still holds it. Call in the transaction that
     * settles the invoice. After the commit, {@link Released} wakes the push worker, so a push
     * waiting for this phone is sent at once.
     */
    public void release(Invoice invoice) {
        int deleted = db.update("DELETE FROM phone_prompts WHERE environment = ? AND phone = ? AND invoice_id = ?",
                invoice.environment(), invoice.phone(), invoice.id());
        if (deleted > 0) {
            released.fire(new Released(invoice.id()));
        }
    }
}
