package co.malipo.core.sms;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import co.malipo.core.invoice.PhoneNumbers;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Queues text messages. {@link SmsSender} sends them after the commit and retries transient failures. */
@ApplicationScoped
public class SmsService {

    /** Event fired inside the queuing transaction. The sender observes it after the commit. */
    public record SmsQueued(long id) {
    }

    private final SmsRepository repository;
    private final Clock clock;
    private final Event<SmsQueued> queued;

    public SmsService(SmsRepository repository, Clock clock, Event<SmsQueued> queued) {
        this.repository = repository;
        this.clock = clock;
        this.queued = queued;
    }

    /**
     * Stores a QUEUED message to a Kenyan mobile number in any accepted form, with the text
     * normalised to GSM-7 and cut to one 160-septet message, and returns its id. It joins the
     * caller's transaction when there is one. {@code invoiceId} may be null.
     *
     * @throws IllegalArgumentException when the phone number is not a Kenyan mobile number
     */
    public long queue(String invoiceId, String phone, String text) {
        String normalised = PhoneNumbers.normalise(phone)
                .orElseThrow(() -> new IllegalArgumentException("invalid Kenyan mobile number: " + PhoneNumbers.mask(phone)));
        String body = SmsText.toSingleMessage(text);
        return QuarkusTransaction.joiningExisting().call(() -> {
            long id = repository.insert(invoiceId, normalised, body, clock.instant());
            queued.fire(new SmsQueued(id));
            return id;
        });
    }
}
