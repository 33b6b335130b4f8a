package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import co.malipo.core.support.Db;
import io.restassured.response.Response;

/**
 * Cancels the prompts a test left open by posting Daraja's "cancelled by user" callback (1032)
 * for each open invoice of a merchant. A phone has one open prompt at a time, so an invoice left
 * open on a shared magic number would make the next test's push to it wait for the hold window.
 */
@ApplicationScoped
public class OpenPrompts {

    private record Open(String id, String callbackToken, String checkoutRequestId) {
    }

    private final Db db;

    public OpenPrompts(Db db) {
        this.db = db;
    }

    /**
     * Cancels every open invoice of the merchant. A push in flight may be accepted between the
     * read and the callback, which then carries the wrong CheckoutRequestID and is rejected, so
     * rejected invoices are read again and retried for up to 10 s.
     */
    public void cancelAll(String merchantId) {
        long deadline = System.currentTimeMillis() + 10_000;
        List<Open> open = findOpen(merchantId);
        while (!open.isEmpty()) {
            Response lastRejection = null;
            for (Open invoice : open) {
                Response response = postCancel(invoice);
                if (response.statusCode() != 200) {
                    lastRejection = response;
                }
            }
            if (lastRejection == null) {
                return;
            }
            assertThat(System.currentTimeMillis()).as("cancel callback still rejected: %s", lastRejection.asString())
                    .isLessThan(deadline);
            Api.sleep(200);
            open = findOpen(merchantId);
        }
    }

    private List<Open> findOpen(String merchantId) {
        return db.list("SELECT id, callback_token, checkout_request_id FROM invoices"
                + " WHERE merchant_id = ? AND state IN ('PENDING', 'PROCESSING')",
                row -> new Open(row.getString(1), row.getString(2), row.getString(3)), merchantId);
    }

    private static Response postCancel(Open invoice) {
        // A push still waiting for its phone has no CheckoutRequestID yet, and the callback supplies one.
        String checkoutRequestId = invoice.checkoutRequestId() != null
                ? invoice.checkoutRequestId()
                : "ws_CO_cancel_" + invoice.callbackToken();
        String body = "{\"Body\": {\"stkCallback\": {\"MerchantRequestID\": \"cancel-" + invoice.id() + "\","
                + " \"CheckoutRequestID\": \"" + checkoutRequestId + "\", \"ResultCode\": 1032,"
                + " \"ResultDesc\": \"Request cancelled by user\"}}}";
        return given().contentType("application/json").body(body)
                .when().post("/daraja/callback/" + invoice.callbackToken());
    }
}
