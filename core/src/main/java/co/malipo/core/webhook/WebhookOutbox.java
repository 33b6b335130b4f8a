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
        // One statement of the caller's transaction supersedes the older deliveries still pending to the
        // endpoints that take this event, writes the event, and queues one delivery per active endpoint
        // that takes collection events. The caller holds the invoice's row lock, so no newer event of
        // the invoice can commit in between. A disabled endpoint gets no delivery, so re-enabling it
        // does not send the events it missed. A replayed delivery is never superseded.
        UUID eventId = UUID.randomUUID();
        int deliveries = db.update("""
                WITH endpoint AS (
                    SELECT e.id FROM webhook_endpoints e
                    WHERE e.merchant_id = ? AND e.environment = ? AND e.collection_event AND e.is_active
                      AND e.deleted_at IS NULL),
                superseded AS (
                    UPDATE webhook_deliveries d SET status = 'SUPERSEDED', updated_at = ?
                    WHERE d.invoice_id = ? AND d.status = 'PENDING' AND d.replayed_at IS NULL AND d.sequence < ?
                      AND d.endpoint_id IN (SELECT id FROM endpoint)),
                event AS (
                    INSERT INTO webhook_events (id, merchant_id, environment, invoice_id, sequence, topic, payload,
                        created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?))
                INSERT INTO webhook_deliveries (id, event_id, endpoint_id, invoice_id, sequence, status, next_attempt_at,
                    created_at, updated_at)
                SELECT gen_random_uuid(), ?, endpoint.id, ?, ?, 'PENDING', ?, ?, ?
                FROM endpoint
                """, invoice.merchantId(), invoice.environment(),
                now, invoiceId, sequence,
                eventId, invoice.merchantId(), invoice.environment(), invoiceId, sequence, COLLECTION_EVENT,
                new Db.Json(payload), now,
                eventId, invoiceId, sequence, now, now, now);
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
