package co.malipo.core.invoice;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The invoice object as merchants parse it in API responses and webhooks: decimals as strings
 * with two places, timestamps in ISO-8601 with an offset, and both {@code invoice_id} and {@code id}.
 */
public final class InvoiceView {

    private InvoiceView() {
    }

    public static Map<String, Object> of(Invoice invoice) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("invoice_id", invoice.id());
        view.put("id", invoice.id());
        view.put("state", invoice.state().name());
        view.put("provider", "M-PESA");
        view.put("charges", Money.format(invoice.charges()));
        view.put("net_amount", Money.format(invoice.netAmount()));
        view.put("currency", invoice.currency());
        view.put("value", Money.format(invoice.value()));
        view.put("account", invoice.phone());
        view.put("api_ref", invoice.apiRef());
        view.put("mobile_tarrif", invoice.mobileTarrif());
        view.put("wallet_id", invoice.walletId());
        view.put("clearing_status", clearingStatus(invoice.state()));
        view.put("mpesa_reference", invoice.mpesaReference());
        view.put("host", invoice.host());
        view.put("card_info", cardInfo());
        view.put("retry_count", 0);
        view.put("failed_reason", invoice.state() == InvoiceState.FAILED ? invoice.failedReason() : null);
        view.put("failed_code", invoice.state() == InvoiceState.FAILED ? invoice.failedCode() : null);
        view.put("failed_code_link", null);
        view.put("created_at", timestamp(invoice.createdAt()));
        view.put("updated_at", timestamp(invoice.updatedAt()));
        return view;
    }

    /** {@code AVAILABLE} once the money is in the wallet, {@code FAILED} when it never will be, else {@code PENDING}. */
    private static String clearingStatus(InvoiceState state) {
        return switch (state) {
            case COMPLETE -> "AVAILABLE";
            case FAILED -> "FAILED";
            default -> "PENDING";
        };
    }

    /** Builds the customer object: a stable id per merchant and phone, and nulls for what is not collected. */
    public static Map<String, Object> customer(Invoice invoice) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("customer_id", invoice.customerId());
        customer.put("phone_number", invoice.phone());
        customer.put("email", null);
        customer.put("first_name", null);
        customer.put("last_name", null);
        customer.put("country", null);
        customer.put("zipcode", null);
        customer.put("provider", "M-PESA");
        customer.put("created_at", timestamp(invoice.createdAt()));
        customer.put("updated_at", timestamp(invoice.createdAt()));
        return customer;
    }

    public static String timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
    }

    private static Map<String, Object> cardInfo() {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("bin_country", null);
        card.put("card_type", null);
        return card;
    }
}
