package co.malipo.ussd;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.core.channel.ChannelBusiness;
import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.Channel;
import co.malipo.core.invoice.DuplicatePushException;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceService;
import co.malipo.core.invoice.InvoiceState;
import co.malipo.core.invoice.Money;
import co.malipo.core.invoice.PushValidator;
import co.malipo.core.invoice.ValidPush;
import co.malipo.core.sms.SmsReceipts;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.jboss.logging.Logger;

/** The two USSD actions that touch invoices: confirming a payment and showing the last one. */
@ApplicationScoped
public class UssdPayments {

    private static final Logger LOG = Logger.getLogger(UssdPayments.class);
    // NOTE: the Kiswahili screen also shows English month abbreviations, for example "4 Dec".
    private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH)
            .withZone(ZoneId.of("Africa/Nairobi"));

    private record LastPayment(String merchantName, BigDecimal value, InvoiceState state, String receipt,
            java.time.Instant createdAt) {
    }

    private final PushValidator validator;
    private final InvoiceService invoices;
    private final UssdConfirmations confirmations;
    private final Db db;
    private final SmsReceipts receipts;
    private final GatewayConfig.Ussd settings;

    public UssdPayments(PushValidator validator, InvoiceService invoices, UssdConfirmations confirmations, Db db,
            SmsReceipts receipts, GatewayConfig config) {
        this.receipts = receipts;
        this.validator = validator;
        this.invoices = invoices;
        this.confirmations = confirmations;
        this.db = db;
        this.settings = config.ussd();
    }

    /**
     * Creates the invoice of a confirmed payment, once per session. A repeated confirmation finds
     * the session's row in {@code ussd_confirmations} and returns the same reply. The push becomes
     * due after {@code malipo.ussd.push-delay}, by which time the USSD session has usually closed.
     * {@code receiptLanguage} ({@code en} or {@code sw}) is stored for the receipt SMS.
     */
    public String confirm(UssdRequest request, ChannelBusiness business, BigDecimal amount, String reference,
            UssdTexts texts, String receiptLanguage) {
        String amountText = UssdText.kes(Money.ceilShilling(amount));
        String done = "END " + texts.promptComing(amountText, UssdText.shorten(business.displayName()));
        Optional<String> repeated = repeatReply(request, amount, done, texts);
        if (repeated.isPresent()) {
            return repeated.get();
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("phone_number", request.phone());
        body.put("amount", amount.toPlainString());
        body.put("api_ref", reference != null ? reference : "USSD " + business.businessNumber());
        ValidPush push = validator.validate(business.merchantId(), business.environment(), Channel.USSD, body);
        try {
            Invoice created = QuarkusTransaction.requiringNew().call(() -> {
                Invoice invoice = invoices.createPush(push, settings.pushDelay());
                confirmations.insert(request.sessionId(), invoice.id());
                receipts.storeLanguage(invoice.id(), receiptLanguage);
                return invoice;
            });
            LOG.infof("USSD session %s created invoice %s for business %s", request.sessionId(), created.id(),
                    business.businessNumber());
            return done;
        } catch (Db.DataAccessException e) {
            // Two copies of the confirmation raced. The other copy's invoice committed and this one rolled back.
            if (e.isUniqueViolation()) {
                Optional<String> raced = repeatReply(request, amount, done, texts);
                if (raced.isPresent()) {
                    return raced.get();
                }
            }
            throw e;
        } catch (DuplicatePushException e) {
            // A copy of this confirmation that committed first is the open twin, so its reply is repeated.
            Optional<String> raced = repeatReply(request, amount, done, texts);
            if (raced.isPresent()) {
                return raced.get();
            }
            return "END " + texts.openPayment(amountText, UssdText.shorten(business.displayName()));
        }
    }

    /**
     * Returns the reply to a confirmation whose session already created an invoice: the same reply
     * when that invoice is for this phone and amount, else the reply that the session is used.
     * Returns empty when the session has no invoice yet.
     */
    private Optional<String> repeatReply(UssdRequest request, BigDecimal amount, String done, UssdTexts texts) {
        Optional<String> invoiceId = confirmations.findInvoiceId(request.sessionId());
        if (invoiceId.isEmpty()) {
            return Optional.empty();
        }
        boolean same = db.one("SELECT phone = ? AND value = ? FROM invoices WHERE id = ?", row -> row.getBoolean(1),
                request.phone(), Money.ceilShilling(amount), invoiceId.get()).orElse(false);
        if (!same) {
            LOG.warnf("USSD session %s repeated its confirmation for another phone or amount; invoice %s kept",
                    request.sessionId(), invoiceId.get());
            return Optional.of("END " + texts.sessionUsed());
        }
        return Optional.of(done);
    }

    /** Shows the newest invoice to this phone, from any merchant and channel. */
    public String lastPayment(String phone, UssdTexts texts) {
        Optional<LastPayment> last = db.one("""
                SELECT merchant.name, invoice.value, invoice.state, invoice.mpesa_reference, invoice.created_at
                FROM invoices invoice JOIN merchants merchant ON merchant.id = invoice.merchant_id
                WHERE invoice.phone = ?
                ORDER BY invoice.created_at DESC, invoice.id DESC
                LIMIT 1
                """, row -> new LastPayment(row.getString(1), row.getBigDecimal(2), InvoiceState.valueOf(row.getString(3)),
                row.getString(4), Db.instant(row, "created_at")), phone);
        if (last.isEmpty()) {
            return "END " + texts.noPayments();
        }
        LastPayment payment = last.get();
        return "END " + texts.lastPayment(UssdText.kes(payment.value()), UssdText.shorten(payment.merchantName()),
                SHOWN_TIME.format(payment.createdAt()), stateName(payment.state(), texts),
                payment.receipt() == null ? texts.noReceipt() : payment.receipt());
    }

    private static String stateName(InvoiceState state, UssdTexts texts) {
        return switch (state) {
            case PENDING, PROCESSING -> texts.pending();
            case COMPLETE -> texts.paid();
            case FAILED -> texts.failed();
        };
    }
}
