package co.malipo.core.webhook;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.InvoiceView;
import co.malipo.core.support.Db;

/**
 * Writes webhook events as outbox rows in the caller's transaction, one per invoice creation and
 * state change, numbered per invoice. The caller must hold the invoice's row lock or have just
 * inserted it.
 */
@ApplicationScoped
public class WebhookOutbox {

    public static final String COLLECTION_EVENT = "collection_event";

    private final Db db;
    private final InvoiceRepository invoices;
    private final ObjectMapper mapper;
    private final Event<DeliveriesQueued> newDeliveries;

    public WebhookOutbox(Db db, InvoiceRepository invoices, ObjectMapper mapper, Event<DeliveriesQueued> newDeliveries) {
        this.db = db;
        this.invoices = invoices;
        this.mapper = mapper;
        this.newDeliveries = newDeliveries;
    }

    /**
     * Adds an event carrying the invoice as it is now in the database, and returns that invoice, so
     * callers need not read it again.
     */
    public Invoice add(String invoiceId, Instant now) {
        Invoice invoice = invoices.nextEventSequence(invoiceId);
        int sequence = invoice.eventSequence();
        String payload;
        try {
            payload = mapper.writeValueAsString(InvoiceView.of(invoice));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the webhook payload of invoice " + invoiceId, e);
        }
        UUID eventId = UUID.randomUUID();
        db.update("INSERT INTO webhook_events (id, merchant_id, environment, invoice_id, sequence, topic, payload, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                eventId, invoice.merchantId(), invoice.environment(), invoiceId, sequence, COLLECTION_EVENT,
                new Db.Json(payload), now);
        // One delivery per active endpoint that takes collection events, in the same transaction. A
        // disabled endpoint gets none, so re-enabling it does not send the events it missed.
        int deliveries = db.update("""
                INSERT INTO webhook_deliveries (id, event_id, endpoint_id, invoice_id, sequence, status, next_attempt_at,
                    created_at, updated_at)
                SELECT gen_random_uuid(), ?, e.id, ?, ?, 'PENDING', ?, ?, ?
                FROM webhook_endpoints e
                WHERE e.merchant_id = ? AND e.environment = ? AND e.collection_event AND e.is_active
                  AND e.deleted_at IS NULL
                """, eventId, invoiceId, sequence, now, now, now, invoice.merchantId(), invoice.environment());
        if (deliveries > 0) {
            newDeliveries.fire(new DeliveriesQueued(deliveries));
        }
        return invoice;
    }

    /** Fired when a transaction queues deliveries; the delivery worker observes it after the commit. */
    public record DeliveriesQueued(int count) {
    }

    public int count(String invoiceId) {
        return db.one("SELECT count(*) FROM webhook_events WHERE invoice_id = ?", row -> row.getInt(1), invoiceId)
                .orElse(0);
    }
}
