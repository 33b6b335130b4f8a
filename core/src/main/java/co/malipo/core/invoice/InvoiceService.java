package co.malipo.core.invoice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantRepository;
import co.malipo.core.push.PushJobs;
import co.malipo.core.push.PushWorker;
import co.malipo.core.support.Ids;
import co.malipo.core.support.JsonText;
import co.malipo.core.webhook.WebhookOutbox;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Creates invoices for every channel: the invoice, its first timeline entry, its push job and its webhook event, in one transaction. */
@ApplicationScoped
public class InvoiceService {

    /** Test keys always push through the built-in simulator. */
    public static final String SIMULATOR_ACCOUNT = "simulator";

    private final InvoiceRepository invoices;
    private final TimelineRepository timeline;
    private final MerchantRepository merchants;
    private final PushJobs pushJobs;
    private final PushWorker pushWorker;
    private final WebhookOutbox outbox;
    private final GatewayConfig config;
    private final Clock clock;

    public InvoiceService(InvoiceRepository invoices, TimelineRepository timeline, MerchantRepository merchants,
            PushJobs pushJobs, PushWorker pushWorker, WebhookOutbox outbox, GatewayConfig config, Clock clock) {
        this.invoices = invoices;
        this.timeline = timeline;
        this.merchants = merchants;
        this.pushJobs = pushJobs;
        this.pushWorker = pushWorker;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Creates a PENDING invoice and queues its push. Throws {@link DuplicatePushException} when the
     * merchant has an open push to the same phone with the same reference and amount.
     */
    public Invoice createPush(ValidPush push) {
        Invoice created = QuarkusTransaction.requiringNew().call(() -> insert(push, Duration.ZERO));
        pushWorker.wake();
        return created;
    }

    /**
     * Creates a PENDING invoice whose push job becomes due {@code sendAfter} from now. Joins the
     * caller's transaction when one is active, so the caller can commit its own rows with the
     * invoice or roll both back. The worker's poll picks the job up once it is due. Throws
     * {@link DuplicatePushException} as {@link #createPush(ValidPush)} does.
     */
    public Invoice createPush(ValidPush push, Duration sendAfter) {
        if (sendAfter.isNegative()) {
            throw new IllegalArgumentException("sendAfter must not be negative: " + sendAfter);
        }
        return QuarkusTransaction.joiningExisting().call(() -> insert(push, sendAfter));
    }

    private Invoice insert(ValidPush push, Duration sendAfter) {
        Instant now = clock.instant();
        String id = Ids.invoiceId();
        String darajaAccount = push.environment() == Environment.TEST
                ? SIMULATOR_ACCOUNT
                : merchants.findDarajaAccount(push.merchantId()).orElse("default");
        Quote quote = push.quote();
        Invoice draft = new Invoice(id, UUID.randomUUID(), push.merchantId(), push.environment(), push.wallet().id(),
                invoices.customerId(push.merchantId(), push.phone()), push.channel(), InvoiceState.PENDING, false,
                push.phone(), push.apiRef(), "KES", quote.amount(), quote.value(), quote.charges(), quote.netAmount(),
                push.tariff().wireName(), DarajaText.accountReference(push.apiRef(), id),
                DarajaText.transactionDesc(id), darajaAccount, Ids.token(), null, null, null, null, null, null, null,
                false, 0, config.api().host(), now, now, null, 0, null, null);

        if (!invoices.insertIfNoOpenTwin(draft)) {
            String openId = invoices.findOpenTwin(push.merchantId(), push.environment(), push.phone(), push.apiRef(),
                    quote.amount()).orElse("unknown");
            throw new DuplicatePushException(openId);
        }
        timeline.add(id, now, "CREATED", push.channel().name(), null, InvoiceState.PENDING,
                "Invoice created; push queued",
                JsonText.of(Map.of("value", Money.format(quote.value()), "tariff", push.tariff().wireName())));
        pushJobs.enqueue(id, now, now.plus(sendAfter));
        return outbox.add(id, now);
    }
}
