package co.malipo.ussd;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.core.channel.ChannelBusiness;
import co.malipo.core.channel.ChannelBusinessRepository;
import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.Channel;
import co.malipo.core.invoice.DuplicatePushException;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceService;
import co.malipo.core.invoice.Money;
import co.malipo.core.invoice.PhoneNumbers;
import co.malipo.core.invoice.PushValidator;
import co.malipo.core.invoice.ValidPush;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.push.PushWorker;
import co.malipo.core.sms.SmsReceipts;
import co.malipo.core.sms.SmsService;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/**
 * Handles one inbound SMS: {@code PAY <business number> <amount> [reference]} starts a push to the
 * sender, {@code STATUS} replies with the last payment, and anything else gets the help text.
 * Replies about a known business, and its receipts, use the business's {@code default_language}.
 * Commands are case-insensitive and extra spaces are ignored. Each message id is handled once,
 * because its {@code sms_inbound} row commits with the invoice and the reply.
 */
@ApplicationScoped
public class SmsCommands {

    static final String HELP = UssdTexts.ENGLISH.smsHelp();
    private static final Logger LOG = Logger.getLogger(SmsCommands.class);
    private static final Pattern PAY = Pattern.compile("PAY\\s+(\\S+)\\s+(\\S+)(?:\\s+(.+))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WHOLE_SHILLINGS = Pattern.compile("[0-9]{1,9}");

    private final ChannelBusinessRepository businesses;
    private final PushValidator validator;
    private final InvoiceService invoices;
    private final PushWorker pushWorker;
    private final UssdPayments payments;
    private final SmsService sms;
    private final SmsReceipts receipts;
    private final Db db;
    private final GatewayConfig.Payments limits;
    /** Background threads for inbound messages. Each message takes one short transaction. */
    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "sms-inbound");
        thread.setDaemon(true);
        return thread;
    });

    public SmsCommands(ChannelBusinessRepository businesses, PushValidator validator, InvoiceService invoices,
            PushWorker pushWorker, UssdPayments payments, SmsService sms, SmsReceipts receipts, Db db,
            GatewayConfig config) {
        this.receipts = receipts;
        this.businesses = businesses;
        this.validator = validator;
        this.invoices = invoices;
        this.pushWorker = pushWorker;
        this.payments = payments;
        this.sms = sms;
        this.db = db;
        this.limits = config.payments();
    }

    /** Hands the message to a background thread and returns at once. Errors are logged there. */
    public void submit(String messageId, String phone, String text) {
        executor.execute(() -> {
            try {
                handle(messageId, phone, text);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Inbound SMS %s from %s failed", messageId, PhoneNumbers.mask(phone));
            }
        });
    }

    @PreDestroy
    void stop() {
        executor.shutdown();
    }

    /** Handles a message unless its id was handled before. {@code phone} is normalised. */
    public void handle(String messageId, String phone, String text) {
        if (isHandled(messageId)) {
            LOG.infof("Inbound SMS %s is a repeat; ignored", messageId);
            return;
        }
        String command = text.strip().replaceAll("\\s+", " ");
        Matcher pay = PAY.matcher(command);
        if (pay.matches()) {
            handlePay(messageId, phone, text, pay.group(1), pay.group(2), pay.group(3));
        } else if (command.equalsIgnoreCase("STATUS")) {
            String reply = payments.lastPayment(phone, UssdTexts.ENGLISH).replaceFirst("^END ", "").replace('\n', ' ');
            record(messageId, phone, text, reply);
        } else {
            record(messageId, phone, text, HELP);
        }
    }

    private void handlePay(String messageId, String phone, String text, String businessNumber, String amountText,
            String reference) {
        Optional<ChannelBusiness> found = businesses.find(businessNumber);
        if (found.isEmpty()) {
            record(messageId, phone, text, "Business number " + UssdText.echo(businessNumber) + " not found. "
                    + HELP);
            return;
        }
        ChannelBusiness business = found.get();
        UssdTexts texts = UssdTexts.of(business.defaultLanguage());
        String amountError = amountError(amountText, texts);
        if (amountError != null) {
            record(messageId, phone, text, amountError + " " + texts.smsHelp());
            return;
        }
        if (business.needsReference() && reference == null) {
            String label = business.referenceLabel().orElse(texts.defaultReferenceLabel());
            record(messageId, phone, text, texts.smsNeedsReference(UssdText.shorten(business.displayName()), label,
                    business.businessNumber(), amountText));
            return;
        }
        BigDecimal amount = new BigDecimal(amountText);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("phone_number", phone);
        body.put("amount", amount.toPlainString());
        body.put("api_ref", reference != null ? reference : "SMS " + business.businessNumber());
        String amountShown = UssdText.kes(Money.ceilShilling(amount));
        String payee = UssdText.shorten(business.displayName());
        ValidPush push;
        try {
            push = validator.validate(business.merchantId(), business.environment(), Channel.SMS, body);
        } catch (ValidationException e) {
            LOG.infof("Inbound SMS %s: PAY rejected by validation: %s", messageId, e.getMessage());
            record(messageId, phone, text, texts.smsInvalidRequest(amountShown, payee) + " " + texts.smsHelp());
            return;
        }
        try {
            Optional<Invoice> created = QuarkusTransaction.requiringNew().call(() -> {
                if (!insertInbound(messageId, phone, text)) {
                    return Optional.<Invoice>empty();
                }
                Invoice invoice = invoices.createPush(push, Duration.ZERO);
                db.update("UPDATE sms_inbound SET invoice_id = ? WHERE message_id = ?", invoice.id(), messageId);
                receipts.storeLanguage(invoice.id(), texts.code());
                sms.queue(invoice.id(), phone, texts.promptComing(amountShown, payee));
                return Optional.of(invoice);
            });
            created.ifPresent(invoice -> {
                LOG.infof("Inbound SMS %s created invoice %s for business %s", messageId, invoice.id(),
                        business.businessNumber());
                pushWorker.wake();
            });
        } catch (DuplicatePushException e) {
            record(messageId, phone, text, texts.openPayment(amountShown, payee));
        }
    }

    private String amountError(String input, UssdTexts texts) {
        String min = UssdText.shillings(limits.minAmount());
        String max = UssdText.shillings(limits.maxAmount());
        if (!WHOLE_SHILLINGS.matcher(input).matches()) {
            return texts.invalidAmountEcho(UssdText.echo(input), min, max);
        }
        BigDecimal amount = new BigDecimal(input);
        if (amount.compareTo(limits.minAmount()) < 0 || amount.compareTo(limits.maxAmount()) > 0) {
            return texts.amountOutOfRange(min, max);
        }
        return null;
    }

    /** Stores the message and queues the reply in one transaction, unless the message id is already stored. */
    private void record(String messageId, String phone, String text, String reply) {
        QuarkusTransaction.requiringNew().run(() -> {
            if (insertInbound(messageId, phone, text)) {
                sms.queue(null, phone, reply);
            }
        });
    }

    private boolean isHandled(String messageId) {
        return db.one("SELECT 1 FROM sms_inbound WHERE message_id = ?", row -> row.getInt(1), messageId).isPresent();
    }

    /** Inserts the message's row. Returns false when a concurrent copy of the message stored it first. */
    private boolean insertInbound(String messageId, String phone, String text) {
        return db.update("INSERT INTO sms_inbound (message_id, phone, text) VALUES (?, ?, ?)"
                + " ON CONFLICT (message_id) DO NOTHING", messageId, phone, text) == 1;
    }
}
