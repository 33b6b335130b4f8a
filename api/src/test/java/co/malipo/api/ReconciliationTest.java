package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.ledger.LedgerRepository;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.reconcile.StatusPoller;
import co.malipo.core.support.Db;
import co.malipo.core.support.Ids;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Lost, late, repeated and contradicting results, through the simulator's magic numbers. Tests
 * move the app's clock and run the poller themselves instead of waiting for its schedule.
 */
@QuarkusTest
class ReconciliationTest {

    @Inject
    TestMerchants testMerchants;
    @Inject
    TestClock clock;
    @Inject
    StatusPoller poller;
    @Inject
    InvoiceRepository invoices;
    @Inject
    LedgerRepository ledger;
    @Inject
    AttentionRepository attention;
    @Inject
    Db db;
    @Inject
    OpenPrompts openPrompts;

    NewMerchant merchant;

    @BeforeEach
    void createMerchant() {
        merchant = testMerchants.create("Reconciliation Shop");
    }

    @AfterEach
    void cancelOpenPrompts() {
        openPrompts.cancelAll(merchant.merchantId());
    }

    @Test
    void lostCallbackCompletedByQuery() {
        String id = push("254700200001", "100");
        awaitState(id, "PROCESSING");

        clock.advance(Duration.ofSeconds(31));
        poller.runOnce();

        Response done = Api.status(merchant.testSecretKey(), id);
        assertThat(done.<String>path("invoice.state")).as(done.asString()).isEqualTo("COMPLETE");
        assertThat(done.<String>path("invoice.mpesa_reference")).as("a query carries no receipt").isNull();
        assertThat(ledger.countCredits(id)).isEqualTo(1);

        Invoice invoice = invoices.find(id).orElseThrow();
        String receipt = Ids.receipt();
        postCallback(invoice, successBody(invoice.checkoutRequestId(), "100.00", receipt)).then().statusCode(200);

        Response filled = Api.status(merchant.testSecretKey(), id);
        assertThat(filled.<String>path("invoice.mpesa_reference")).isEqualTo(receipt);
        assertThat(ledger.countCredits(id)).as("the receipt adds no second credit").isEqualTo(1);
        assertThat(events(id)).as("a second COMPLETE event carries the receipt")
                .containsExactly("PENDING", "PROCESSING", "COMPLETE", "COMPLETE");
    }

    @Test
    void mismatchHoldsAgainstLaterQuery() {
        String id = push("254700200001", "105");
        awaitState(id, "PROCESSING");
        Invoice invoice = invoices.find(id).orElseThrow();
        postCallback(invoice, successBody(invoice.checkoutRequestId(), "1.00", Ids.receipt())).then().statusCode(200);

        clock.advance(Duration.ofSeconds(31));
        poller.runOnce();

        assertThat(Api.status(merchant.testSecretKey(), id).<String>path("invoice.state")).isEqualTo("PROCESSING");
        assertThat(ledger.countCredits(id)).isZero();
        assertThat(attention.listOpen("invoice", id)).extracting(AttentionRepository.Item::kind)
                .containsExactly("AMOUNT_MISMATCH");
    }

    @Test
    void wrongAmountAfterQueryCompleteFlagged() {
        String id = push("254700200001", "106");
        awaitState(id, "PROCESSING");
        clock.advance(Duration.ofSeconds(31));
        poller.runOnce();
        assertThat(Api.status(merchant.testSecretKey(), id).<String>path("invoice.state")).isEqualTo("COMPLETE");

        Invoice invoice = invoices.find(id).orElseThrow();
        postCallback(invoice, successBody(invoice.checkoutRequestId(), "1.00", Ids.receipt())).then().statusCode(200);

        assertThat(Api.status(merchant.testSecretKey(), id).<String>path("invoice.mpesa_reference")).isNull();
        assertThat(attention.listOpen("invoice", id)).extracting(AttentionRepository.Item::kind)
                .containsExactly("AMOUNT_MISMATCH");
        assertThat(ledger.countCredits(id)).isEqualTo(1);
    }

    @Test
    void statusCallQueriesStaleInvoice() {
        String id = push("254700200001", "101");
        awaitState(id, "PROCESSING");

        clock.advance(Duration.ofSeconds(20));
        Response done = Api.status(merchant.testSecretKey(), id);

        assertThat(done.<String>path("invoice.state")).as(done.asString()).isEqualTo("COMPLETE");
        assertThat(ledger.countCredits(id)).isEqualTo(1);
    }

    @Test
    void processingQueryKeepsInvoiceOpen() {
        String id = push("254700200005", "102");
        awaitState(id, "PROCESSING");

        clock.advance(Duration.ofSeconds(31));
        poller.runOnce();
        int afterFirst = attempts(id);
        poller.runOnce();
        int afterSecond = attempts(id);

        assertThat(afterFirst).isEqualTo(1);
        assertThat(afterSecond).as("backoff: the next query is not due yet").isEqualTo(1);
        assertThat(Api.status(merchant.testSecretKey(), id).<String>path("invoice.state")).isEqualTo("PROCESSING");

        for (int round = 0; round < 8; round++) {
            clock.advance(Duration.ofMinutes(2));
            poller.runOnce();
        }

        assertThat(attempts(id)).isGreaterThan(2);
        assertThat(Api.status(merchant.testSecretKey(), id).<String>path("invoice.state")).isEqualTo("PROCESSING");
        assertThat(events(id)).doesNotContain("FAILED");
        assertThat(attention.listOpen("invoice", id)).extracting(AttentionRepository.Item::kind)
                .containsExactly("OPEN_TOO_LONG");

        Invoice invoice = invoices.find(id).orElseThrow();
        postCallback(invoice, successBody(invoice.checkoutRequestId(), "102.00", Ids.receipt())).then().statusCode(200);
        assertThat(Api.status(merchant.testSecretKey(), id).<String>path("invoice.state")).isEqualTo("COMPLETE");
        assertThat(ledger.countCredits(id)).isEqualTo(1);
    }

    @Test
    void lateSuccessAfterQueryFailure() {
        String id = push("254700200003", "103");
        awaitState(id, "PROCESSING");

        clock.advance(Duration.ofSeconds(31));
        poller.runOnce();
        assertThat(Api.status(merchant.testSecretKey(), id).<String>path("invoice.failed_code")).isEqualTo("1037");

        Response done = Api.awaitState(merchant.testSecretKey(), id, "COMPLETE", Duration.ofSeconds(15));

        assertThat(done.<String>path("invoice.state")).as(done.asString()).isEqualTo("COMPLETE");
        assertThat(done.<String>path("invoice.mpesa_reference")).isNotNull();
        assertThat(ledger.countCredits(id)).isEqualTo(1);
        assertThat(invoices.find(id).orElseThrow().lateSuccess()).isTrue();
        assertThat(attention.listOpen("invoice", id)).extracting(AttentionRepository.Item::kind).contains("LATE_SUCCESS");
        assertThat(events(id)).containsExactly("PENDING", "PROCESSING", "FAILED", "COMPLETE");
    }

    @Test
    void failureAfterCompleteIgnored() {
        String id = push("254700200004", "104");
        Response done = Api.awaitState(merchant.testSecretKey(), id, "COMPLETE", Duration.ofSeconds(15));
        assertThat(done.<String>path("invoice.state")).isEqualTo("COMPLETE");
        Invoice invoice = invoices.find(id).orElseThrow();

        String cancelled = "{\"Body\": {\"stkCallback\": {\"MerchantRequestID\": \"1\", \"CheckoutRequestID\": \""
                + invoice.checkoutRequestId() + "\", \"ResultCode\": 1032, \"ResultDesc\": \"Request cancelled by user\"}}}";
        postCallback(invoice, cancelled).then().statusCode(200);

        assertThat(Api.status(merchant.testSecretKey(), id).<String>path("invoice.state")).isEqualTo("COMPLETE");
        assertThat(events(id)).doesNotContain("FAILED");
        assertThat(attention.listOpen("invoice", id)).extracting(AttentionRepository.Item::kind)
                .contains("SOURCES_DISAGREE");
        assertThat(ledger.countCredits(id)).isEqualTo(1);
    }

    @Test
    void confirmingQueryDisagreementHeld() {
        String id = push("254700200004", "5000");

        awaitAttention(id, "SOURCES_DISAGREE");

        assertThat(Api.status(merchant.testSecretKey(), id).<String>path("invoice.state")).isEqualTo("PROCESSING");
        assertThat(ledger.countCredits(id)).isZero();
        assertThat(events(id)).doesNotContain("COMPLETE");
    }

    @Test
    void failureCodesEachFailOnce() {
        Map<String, String> reasons = new java.util.LinkedHashMap<>();
        reasons.put("0001", "The balance is insufficient for the transaction.");
        reasons.put("1032", "Request cancelled by user");
        reasons.put("1037", "DS timeout user cannot be reached");
        reasons.put("2001", "The initiator information is invalid.");
        reasons.put("1019", "Transaction has expired.");
        reasons.put("1001", "Unable to lock subscriber, a transaction is already in process for the current subscriber");
        reasons.put("0017", "Rule limited.");
        reasons.put("0026", null);
        reasons.put("9999", "Error while sending push request");
        reasons.put("4999", "Simulated result code 4999");
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String code : reasons.keySet()) {
            ids.put(code, push("25470010" + code, "20"));
        }

        for (Map.Entry<String, String> entry : ids.entrySet()) {
            String expectedCode = String.valueOf(Integer.parseInt(entry.getKey()));
            Response failed = Api.awaitState(merchant.testSecretKey(), entry.getValue(), "FAILED", Duration.ofSeconds(15));
            assertThat(failed.<String>path("invoice.state")).as(entry.getKey()).isEqualTo("FAILED");
            assertThat(failed.<String>path("invoice.failed_code")).as(entry.getKey()).isEqualTo(expectedCode);
            assertThat(failed.<String>path("invoice.failed_reason")).as(entry.getKey()).isNotBlank();
            if (reasons.get(entry.getKey()) != null) {
                assertThat(failed.<String>path("invoice.failed_reason")).as(entry.getKey())
                        .isEqualTo(reasons.get(entry.getKey()));
            }
            assertThat(events(entry.getValue())).as(entry.getKey()).containsOnlyOnce("FAILED");
        }
    }

    private String push(String phone, String amount) {
        Response pushed = Api.push(merchant.testSecretKey(), Map.of("phone_number", phone, "amount", amount,
                "api_ref", "rec-" + Ids.token().substring(0, 8)));
        assertThat(pushed.statusCode()).as(pushed.asString()).isEqualTo(200);
        return pushed.path("invoice.invoice_id");
    }

    private void awaitState(String id, String state) {
        Response response = Api.awaitState(merchant.testSecretKey(), id, state, Duration.ofSeconds(10));
        assertThat(response.<String>path("invoice.state")).as(response.asString()).isEqualTo(state);
    }

    private void awaitAttention(String id, String kind) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (attention.listOpen("invoice", id).stream().noneMatch(item -> item.kind().equals(kind))
                && System.currentTimeMillis() < deadline) {
            Api.sleep(100);
        }
        assertThat(attention.listOpen("invoice", id)).extracting(AttentionRepository.Item::kind).contains(kind);
    }

    private int attempts(String id) {
        return invoices.find(id).orElseThrow().queryAttempts();
    }

    /** Lists the states of an invoice's webhook events, in sequence order. */
    private List<String> events(String id) {
        return db.list("SELECT payload->>'state' FROM webhook_events WHERE invoice_id = ? ORDER BY sequence",
                row -> row.getString(1), id);
    }

    private static Response postCallback(Invoice invoice, String body) {
        return given().contentType("application/json").body(body).when().post("/daraja/callback/" + invoice.callbackToken());
    }

    private static String successBody(String checkoutRequestId, String amount, String receipt) {
        return "{\"Body\": {\"stkCallback\": {\"MerchantRequestID\": \"29115-34620561-1\", \"CheckoutRequestID\": \""
                + checkoutRequestId + "\", \"ResultCode\": 0, \"ResultDesc\": \"The service request is processed"
                + " successfully.\", \"CallbackMetadata\": {\"Item\": [{\"Name\": \"Amount\", \"Value\": " + amount + "},"
                + " {\"Name\": \"MpesaReceiptNumber\", \"Value\": \"" + receipt + "\"}, {\"Name\": \"Balance\"},"
                + " {\"Name\": \"TransactionDate\", \"Value\": 20240302013000},"
                + " {\"Name\": \"PhoneNumber\", \"Value\": 254700000001}]}}}}";
    }
}
