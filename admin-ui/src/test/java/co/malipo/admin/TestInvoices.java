package co.malipo.admin;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.Channel;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceService;
import co.malipo.core.invoice.Quote;
import co.malipo.core.invoice.Tariff;
import co.malipo.core.invoice.ValidPush;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantRepository;
import co.malipo.core.merchant.MerchantService;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Test data through the core services: merchants, and invoices whose push is due only in a day,
 * so the push worker leaves them alone. {@link #settle} then sets the state, creation time and
 * receipt that a list test filters on.
 */
@ApplicationScoped
public class TestInvoices {

    private final MerchantService merchantService;
    private final MerchantRepository merchants;
    private final InvoiceService invoices;
    private final GatewayConfig config;
    private final Db db;

    public TestInvoices(MerchantService merchantService, MerchantRepository merchants, InvoiceService invoices,
            GatewayConfig config, Db db) {
        this.merchantService = merchantService;
        this.merchants = merchants;
        this.invoices = invoices;
        this.config = config;
        this.db = db;
    }

    public NewMerchant merchant(String name) {
        return merchantService.createMerchant(name, "default");
    }

    /** Creates a PENDING test invoice whose push waits a day. */
    public Invoice parked(String merchantId, Channel channel, String phone, String apiRef, int amount) {
        return create(merchantId, Environment.TEST, channel, phone, apiRef, amount, Duration.ofDays(1));
    }

    /** Creates a test invoice whose push goes to the Daraja simulator at once. */
    public Invoice pushed(String merchantId, String phone, String apiRef, int amount) {
        return create(merchantId, Environment.TEST, Channel.API, phone, apiRef, amount, Duration.ZERO);
    }

    private Invoice create(String merchantId, Environment environment, Channel channel, String phone, String apiRef,
            int amount, Duration sendAfter) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var wallet = merchants.findSettlementWallet(merchantId, environment).orElseThrow();
            Quote quote = Quote.of(BigDecimal.valueOf(amount), Tariff.BUSINESS_PAYS, config.payments());
            return invoices.createPush(new ValidPush(merchantId, environment, channel, phone, apiRef, wallet,
                    Tariff.BUSINESS_PAYS, quote), sendAfter);
        });
    }

    /** Sets an invoice's state, creation time and receipt directly, as test data for the list. */
    public void settle(String invoiceId, String state, Instant createdAt, String receipt) {
        Instant finishedAt = state.equals("COMPLETE") || state.equals("FAILED") ? createdAt : null;
        QuarkusTransaction.requiringNew().run(() -> db.update("UPDATE invoices SET state = ?, created_at = ?,"
                + " mpesa_reference = ?, finished_at = ? WHERE id = ?", state, createdAt, receipt, finishedAt,
                invoiceId));
    }
}
