package co.malipo.core.sms;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.invoice.Channel;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.PhoneNumbers;
import co.malipo.core.support.Db;
import org.jboss.logging.Logger;

/**
 * Receipt messages to the customer when an invoice completes or fails. USSD and SMS invoices always
 * get one; API invoices only when the merchant opted in ({@code merchants.sms_receipts_for_api}),
 * because most merchants tell their own customers. The text is in Kiswahili when the invoice's
 * {@code invoice_languages} row is {@code sw}, else in English.
 */
@ApplicationScoped
public class SmsReceipts {

    private static final Logger LOG = Logger.getLogger(SmsReceipts.class);

    private record MerchantReceipts(String name, boolean forApiInvoices) {
    }

    private static final int MAX_NAME_LENGTH = 30;

    private final SmsService sms;
    private final Db db;

    public SmsReceipts(SmsService sms, Db db) {
        this.sms = sms;
        this.db = db;
    }

    /**
     * Queues the receipt of a settled invoice in the caller's transaction. A message that cannot be
     * queued is logged and skipped, so the invoice settles regardless.
     * NOTE: a database error inside the insert still aborts the caller's PostgreSQL transaction,
     * because there is no savepoint around it.
     */
    public void queueOutcome(Invoice settled) {
        try {
            Optional<MerchantReceipts> merchant = db.one("SELECT name, sms_receipts_for_api FROM merchants WHERE id = ?",
                    row -> new MerchantReceipts(row.getString(1), row.getBoolean(2)), settled.merchantId());
            boolean channelReceipt = settled.channel() == Channel.USSD || settled.channel() == Channel.SMS;
            boolean optedIn = merchant.map(MerchantReceipts::forApiInvoices).orElse(false);
            if (!channelReceipt && !(settled.channel() == Channel.API && optedIn)) {
                return;
            }
            String merchantName = merchant.map(MerchantReceipts::name).orElse("the business");
            boolean kiswahili = "sw".equals(db.one("SELECT language FROM invoice_languages WHERE invoice_id = ?",
                    row -> row.getString(1), settled.id()).orElse("en"));
            String text = switch (settled.state()) {
                case COMPLETE -> kiswahili ? completedTextSw(settled, merchantName) : completedText(settled, merchantName);
                case FAILED -> kiswahili ? failedTextSw(settled, merchantName) : failedText(settled, merchantName);
                default -> null;
            };
            if (text != null) {
                sms.queue(settled.id(), settled.phone(), text);
            }
        } catch (IllegalArgumentException e) {
            LOG.errorf(e, "Receipt SMS for invoice %s not queued for phone %s", settled.id(),
                    PhoneNumbers.mask(settled.phone()));
        }
    }

    /**
     * Stores the receipt language of a USSD or SMS invoice, {@code en} or {@code sw}, in the
     * caller's transaction.
     */
    public void storeLanguage(String invoiceId, String language) {
        db.update("INSERT INTO invoice_languages (invoice_id, language) VALUES (?, ?)", invoiceId, language);
    }

    static String completedText(Invoice invoice, String merchantName) {
        BigDecimal paid = invoice.paidAmount() != null ? invoice.paidAmount() : invoice.value();
        String receipt = invoice.mpesaReference() == null ? "pending" : invoice.mpesaReference();
        return "Paid " + kes(paid) + " to " + shorten(merchantName) + ". M-Pesa receipt " + receipt + ". Malipo ref "
                + invoice.id() + ".";
    }

    static String failedText(Invoice invoice, String merchantName) {
        String reason = invoice.failedReason() == null ? "the payment was not completed" : invoice.failedReason();
        return "Payment of " + kes(invoice.value()) + " to " + shorten(merchantName) + " failed: " + reason
                + ". You were not charged.";
    }

    static String completedTextSw(Invoice invoice, String merchantName) {
        BigDecimal paid = invoice.paidAmount() != null ? invoice.paidAmount() : invoice.value();
        String receipt = invoice.mpesaReference() == null ? "inasubiri" : invoice.mpesaReference();
        return "Umelipa " + kes(paid) + " kwa " + shorten(merchantName) + ". Risiti ya M-Pesa " + receipt
                + ". Kumbukumbu ya Malipo " + invoice.id() + ".";
    }

    static String failedTextSw(Invoice invoice, String merchantName) {
        String reason = invoice.failedReason() == null ? "malipo hayakukamilika" : invoice.failedReason();
        return "Malipo ya " + kes(invoice.value()) + " kwa " + shorten(merchantName) + " hayakufaulu: " + reason
                + ". Hukutozwa pesa.";
    }

    private static String kes(BigDecimal amount) {
        return "KES " + String.format(Locale.ROOT, "%,d", amount.setScale(0, RoundingMode.CEILING).longValueExact());
    }

    private static String shorten(String name) {
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH - 1).stripTrailing() + ".";
    }
}
