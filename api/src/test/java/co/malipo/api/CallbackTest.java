package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.callback.CallbackRepository;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.ledger.LedgerRepository;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import co.malipo.core.support.Ids;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Callbacks shaped as Daraja sends them, posted over HTTP to the invoice's callback URL. The push
 * goes to the number whose callback never comes, so each test posts the only result.
 */
@QuarkusTest
class CallbackTest {

    /** The simulator accepts pushes to this number but never calls back. */
    static final String SILENT_PHONE = "254700200005";
    /** The simulator loses the callback of this number; only a status query finds the result. */
    static final String LOST_CALLBACK_PHONE = "254700200001";

    @Inject
    TestMerchants testMerchants;
    @Inject
    InvoiceRepository invoices;
    @Inject
    LedgerRepository ledger;
    @Inject
    CallbackRepository callbacks;
    @Inject
    co.malipo.core.callback.CallbackService callbackService;
    @Inject
    AttentionRepository attention;
    @Inject
    Db db;
    @Inject
    OpenPrompts openPrompts;

    NewMerchant merchant;

    @BeforeEach
    void createMerchant() {
        merchant = testMerchants.create("Callback Shop");
    }

    @AfterEach
    void cancelOpenPrompts() {
        openPrompts.cancelAll(merchant.merchantId());
    }

    @Test
    void balanceWithoutValueCompletes() {
        Invoice invoice = processingInvoice("100", "cb-balance");
        String receipt = Ids.receipt();
        String body = success(invoice.checkoutRequestId(),
                "{\"Name\": \"Amount\", \"Value\": 100.00},"
                        + " {\"Name\": \"MpesaReceiptNumber\", \"Value\": \"" + receipt + "\"},"
                        + " {\"Name\": \"Balance\"},"
                        + " {\"Name\": \"TransactionDate\", \"Value\": 20240302013000},"
                        + " {\"Name\": \"PhoneNumber\", \"Value\": 254700000001}");

        post(invoice.callbackToken(), body).then().statusCode(200);

        Response done = Api.status(merchant.testSecretKey(), invoice.id());
        assertThat(done.<String>path("invoice.state")).isEqualTo("COMPLETE");
        assertThat(done.<String>path("invoice.mpesa_reference")).isEqualTo(receipt);
        assertThat(ledger.countCredits(invoice.id())).isEqualTo(1);
    }

    @Test
    void reorderedItemsWithoutBalanceComplete() {
        Invoice invoice = processingInvoice("100", "cb-reordered");
        String receipt = Ids.receipt();
        String body = success(invoice.checkoutRequestId(),
                "{\"Name\": \"PhoneNumber\", \"Value\": 254700000001},"
                        + " {\"Name\": \"TransactionDate\", \"Value\": 20240302013000},"
                        + " {\"Name\": \"MpesaReceiptNumber\", \"Value\": \"" + receipt + "\"},"
                        + " {\"Name\": \"Amount\", \"Value\": 100.00}");

        post(invoice.callbackToken(), body).then().statusCode(200);

        Response done = Api.status(merchant.testSecretKey(), invoice.id());
        assertThat(done.<String>path("invoice.state")).isEqualTo("COMPLETE");
        assertThat(done.<String>path("invoice.mpesa_reference")).isEqualTo(receipt);
    }

    @Test
    void tenConcurrentCallbacksCreditOnce() throws Exception {
        Invoice invoice = processingInvoice("250", "cb-concurrent");
        String body = success(invoice.checkoutRequestId(), items("250.00", Ids.receipt()));

        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Callable<Integer>> posts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            posts.add(() -> post(invoice.callbackToken(), body).statusCode());
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> future : pool.invokeAll(posts)) {
            statuses.add(future.get());
        }
        pool.shutdown();
        Response later = post(invoice.callbackToken(), body);

        assertThat(statuses).hasSize(10).containsOnly(200);
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.<Integer>path("ResultCode")).isZero();
        assertThat(Api.status(merchant.testSecretKey(), invoice.id()).<String>path("invoice.state")).isEqualTo("COMPLETE");
        assertThat(ledger.countCredits(invoice.id())).isEqualTo(1);
        assertThat(ledger.walletBalance(invoice.walletId())).isEqualByComparingTo(invoice.netAmount());
    }

    @Test
    void creditsInOneTransactionSumPerWallet() {
        Invoice first = pushedInvoice("100", "ledger-sum-1");
        Invoice second = pushedInvoice("250", "ledger-sum-2");
        BigDecimal before = ledger.walletBalance(first.walletId());

        BigDecimal seenInside = QuarkusTransaction.requiringNew().call(() -> {
            assertThat(ledger.creditCollection(first, Instant.now())).isTrue();
            assertThat(ledger.creditCollection(second, Instant.now())).isTrue();
            assertThat(ledger.creditCollection(first, Instant.now())).as("second credit of one invoice").isFalse();
            return ledger.walletBalance(first.walletId());
        });

        assertThat(second.walletId()).isEqualTo(first.walletId());
        assertThat(seenInside).as("balance before the commit").isEqualByComparingTo(before);
        assertThat(ledger.walletBalance(first.walletId()))
                .isEqualByComparingTo(before.add(first.netAmount()).add(second.netAmount()));
        assertThat(ledger.countCredits(first.id())).isEqualTo(1);
        assertThat(ledger.countCredits(second.id())).isEqualTo(1);
    }

    @Test
    void rolledBackCreditLeavesBalance() {
        Invoice invoice = pushedInvoice("120", "ledger-rollback");
        BigDecimal before = ledger.walletBalance(invoice.walletId());

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            ledger.creditCollection(invoice, Instant.now());
            throw new IllegalStateException("planted failure after the credit");
        })).hasMessageContaining("planted failure");

        assertThat(ledger.countCredits(invoice.id())).isZero();
        assertThat(ledger.walletBalance(invoice.walletId())).isEqualByComparingTo(before);
    }

    @Test
    void creditOutsideTransactionRejected() {
        Invoice invoice = pushedInvoice("130", "ledger-no-transaction");

        assertThatThrownBy(() -> ledger.creditCollection(invoice, Instant.now()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs an active transaction");
        assertThat(ledger.countCredits(invoice.id())).isZero();
    }

    @Test
    void amountMismatchHeldForReview() {
        Invoice invoice = processingInvoice("300", "cb-mismatch");
        String body = success(invoice.checkoutRequestId(), items("30.00", Ids.receipt()));

        post(invoice.callbackToken(), body).then().statusCode(200);

        assertThat(Api.status(merchant.testSecretKey(), invoice.id()).<String>path("invoice.state")).isEqualTo("PROCESSING");
        assertThat(ledger.countCredits(invoice.id())).isZero();
        assertThat(attention.listOpen("invoice", invoice.id())).extracting(AttentionRepository.Item::kind)
                .containsExactly("AMOUNT_MISMATCH");
        int events = db.one("SELECT count(*) FROM webhook_events WHERE invoice_id = ?", row -> row.getInt(1), invoice.id())
                .orElseThrow();
        assertThat(events).as("created and processing only").isEqualTo(2);
    }

    @Test
    void nonNumericCodesFailWithRawText() {
        Invoice unknown = processingInvoice("41", "cb-code-unknown");
        // A second prompt to the silent number would wait for the phone hold, so this one uses the number
        // whose callback is lost: it also stays PROCESSING until the test posts a result.
        Invoice catalogued = processingInvoice(LOST_CALLBACK_PHONE, "42", "cb-code-catalogued");

        post(unknown.callbackToken(), failure(unknown.checkoutRequestId(), "\"ZX_9001\"", "[STK_CB - ]Strange new failure"))
                .then().statusCode(200);
        post(catalogued.callbackToken(), failure(catalogued.checkoutRequestId(), "\"SFC_IC0003\"",
                "The operator does not exist.")).then().statusCode(200);

        Response first = Api.status(merchant.testSecretKey(), unknown.id());
        assertThat(first.<String>path("invoice.state")).isEqualTo("FAILED");
        assertThat(first.<String>path("invoice.failed_code")).isEqualTo("ZX_9001");
        assertThat(first.<String>path("invoice.failed_reason")).isEqualTo("Strange new failure");
        Response second = Api.status(merchant.testSecretKey(), catalogued.id());
        assertThat(second.<String>path("invoice.failed_code")).isEqualTo("SFC_IC0003");
        assertThat(invoices.find(catalogued.id()).orElseThrow().failureClass()).isEqualTo("CONFIGURATION");
    }

    @Test
    void successWithoutAmountHeld() {
        Invoice invoice = processingInvoice("310", "cb-no-amount");
        String body = success(invoice.checkoutRequestId(),
                "{\"Name\": \"MpesaReceiptNumber\", \"Value\": \"" + Ids.receipt() + "\"}");

        post(invoice.callbackToken(), body).then().statusCode(200);

        assertThat(Api.status(merchant.testSecretKey(), invoice.id()).<String>path("invoice.state")).isEqualTo("PROCESSING");
        assertThat(ledger.countCredits(invoice.id())).isZero();
        assertThat(attention.listOpen("invoice", invoice.id())).extracting(AttentionRepository.Item::kind)
                .containsExactly("AMOUNT_MISMATCH");
    }

    @Test
    void nulCharactersRejectedUnstored() {
        Invoice invoice = processingInvoice("320", "cb-nul");
        String escaped = "{\"Body\": {\"stkCallback\": {\"CheckoutRequestID\": \"ws_\\u0000x\", \"ResultCode\": 1032}}}";
        byte[] raw = "{\"Body\": {\"stkCallback\": {\"CheckoutRequestID\": \"a\u0000b\", \"ResultCode\": 1}}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        Response escapedReply = post(invoice.callbackToken(), escaped);
        Response rawReply = given().contentType("application/json").body(raw).when()
                .post("/daraja/callback/" + invoice.callbackToken());

        assertThat(escapedReply.statusCode()).isEqualTo(400);
        assertThat(rawReply.statusCode()).isEqualTo(400);
        assertThat(callbacks.countForToken(invoice.callbackToken())).as("only the readable-as-text one is stored")
                .isEqualTo(1);
        assertThat(Api.status(merchant.testSecretKey(), invoice.id()).<String>path("invoice.state")).isEqualTo("PROCESSING");
    }

    @Test
    void exhaustedRetriesGiveUp() {
        String token = "retryToken" + Ids.token().substring(0, 16);
        long stuck = callbacks.store(token, "{\"Body\": {\"stkCallback\": {\"CheckoutRequestID\": \"ws_CO_9\","
                + " \"ResultCode\": 1032}}}", java.time.Instant.now().minusSeconds(120));
        db.update("UPDATE daraja_callbacks SET apply_attempts = ? WHERE id = ?", 45, stuck);

        callbackService.applyStored();

        String outcome = db.one("SELECT outcome FROM daraja_callbacks WHERE id = ?", row -> row.getString(1), stuck)
                .orElseThrow();
        assertThat(outcome).isEqualTo("GAVE_UP");
        assertThat(attention.listOpen("callback", Long.toString(stuck))).extracting(AttentionRepository.Item::kind)
                .containsExactly("ORPHAN_CALLBACK");
    }

    @Test
    void cancelledCallbackFails() {
        Invoice invoice = processingInvoice("40", "cb-cancelled");
        String body = "{\"Body\": {\"stkCallback\": {\"MerchantRequestID\": \"f1e2-4b95-a71d-b30d3cdbb7a7942864\","
                + " \"CheckoutRequestID\": \"" + invoice.checkoutRequestId() + "\", \"ResultCode\": 1032,"
                + " \"ResultDesc\": \"Request cancelled by user\"}}}";

        post(invoice.callbackToken(), body).then().statusCode(200);

        Response failed = Api.status(merchant.testSecretKey(), invoice.id());
        assertThat(failed.<String>path("invoice.state")).isEqualTo("FAILED");
        assertThat(failed.<String>path("invoice.failed_code")).isEqualTo("1032");
        assertThat(failed.<String>path("invoice.failed_reason")).isEqualTo("Request cancelled by user");
        assertThat(ledger.countCredits(invoice.id())).isZero();
    }

    @Test
    void unknownTokenStoredAsOrphan() {
        String receipt = Ids.receipt();
        String token = "unknownToken" + Ids.token().substring(0, 20);
        String body = success("ws_CO_000000000000000000", items("10.00", receipt));

        Response response = post(token, body);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(invoices.findIdByReceipt(receipt)).isEmpty();
        assertThat(callbacks.countForToken(token)).as("stored for review").isEqualTo(1);
        long callbackId = db.one("SELECT id FROM daraja_callbacks WHERE token = ?", row -> row.getLong(1), token)
                .orElseThrow();
        assertThat(attention.listOpen("callback", Long.toString(callbackId)))
                .extracting(AttentionRepository.Item::kind).containsExactly("ORPHAN_CALLBACK");
    }

    @Test
    void forgedSuccessToWrongTokenIs404() {
        Invoice invoice = processingInvoice("60", "cb-forged");
        // Both prompts are open at once, and a phone has one open prompt at a time, so the second
        // goes to another number. No status query of it runs within this test.
        Invoice other = processingInvoice(LOST_CALLBACK_PHONE, "61", "cb-forged-other");
        String body = success(invoice.checkoutRequestId(), items("60.00", Ids.receipt()));

        Response response = post(other.callbackToken(), body);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Api.status(merchant.testSecretKey(), invoice.id()).<String>path("invoice.state")).isEqualTo("PROCESSING");
        assertThat(Api.status(merchant.testSecretKey(), other.id()).<String>path("invoice.state")).isEqualTo("PROCESSING");
        assertThat(ledger.countCredits(invoice.id())).isZero();
    }

    @Test
    void apiInvoiceGetsNoReceiptByDefault() {
        Invoice invoice = processingInvoice("120", "cb-no-receipt");

        post(invoice.callbackToken(), success(invoice.checkoutRequestId(), items("120.00", Ids.receipt())))
                .then().statusCode(200);

        assertThat(Api.status(merchant.testSecretKey(), invoice.id()).<String>path("invoice.state")).isEqualTo("COMPLETE");
        assertThat(receiptCount(invoice.id())).isZero();
    }

    @Test
    void optedInMerchantGetsApiReceipts() {
        db.update("UPDATE merchants SET sms_receipts_for_api = true WHERE id = ?", merchant.merchantId());
        Invoice paid = processingInvoice("130", "cb-receipt-paid");
        String receipt = Ids.receipt();

        post(paid.callbackToken(), success(paid.checkoutRequestId(), items("130.00", receipt))).then().statusCode(200);

        assertThat(db.one("SELECT body FROM sms_messages WHERE invoice_id = ?", row -> row.getString(1), paid.id()))
                .contains("Paid KES 130 to Callback Shop. M-Pesa receipt " + receipt + ". Malipo ref " + paid.id() + ".");
        Invoice cancelled = processingInvoice("140", "cb-receipt-cancelled");

        post(cancelled.callbackToken(), failure(cancelled.checkoutRequestId(), "1032", "Request cancelled by user"))
                .then().statusCode(200);

        assertThat(db.one("SELECT body FROM sms_messages WHERE invoice_id = ?", row -> row.getString(1), cancelled.id()))
                .hasValueSatisfying(body -> assertThat(body).startsWith("Payment of KES 140 to Callback Shop failed:"));
        assertThat(receiptCount(paid.id()) + receiptCount(cancelled.id())).isEqualTo(2);
    }

    private int receiptCount(String invoiceId) {
        return db.one("SELECT count(*) FROM sms_messages WHERE invoice_id = ?", row -> row.getInt(1), invoiceId)
                .orElseThrow();
    }

    /** Pushes to the silent number and returns the invoice in whatever state it has reached. */
    private Invoice pushedInvoice(String amount, String reference) {
        Response pushed = Api.push(merchant.testSecretKey(),
                Map.of("phone_number", SILENT_PHONE, "amount", amount, "api_ref", reference));
        assertThat(pushed.statusCode()).as(pushed.asString()).isEqualTo(200);
        return invoices.find(pushed.path("invoice.invoice_id")).orElseThrow();
    }

    private Invoice processingInvoice(String amount, String reference) {
        return processingInvoice(SILENT_PHONE, amount, reference);
    }

    private Invoice processingInvoice(String phone, String amount, String reference) {
        Response pushed = Api.push(merchant.testSecretKey(),
                Map.of("phone_number", phone, "amount", amount, "api_ref", reference));
        assertThat(pushed.statusCode()).as(pushed.asString()).isEqualTo(200);
        String id = pushed.path("invoice.invoice_id");
        Response processing = Api.awaitState(merchant.testSecretKey(), id, "PROCESSING", Duration.ofSeconds(10));
        assertThat(processing.<String>path("invoice.state")).isEqualTo("PROCESSING");
        return invoices.find(id).orElseThrow();
    }

    private static String items(String amount, String receipt) {
        return "{\"Name\": \"Amount\", \"Value\": " + amount + "},"
                + " {\"Name\": \"MpesaReceiptNumber\", \"Value\": \"" + receipt + "\"},"
                + " {\"Name\": \"Balance\"},"
                + " {\"Name\": \"TransactionDate\", \"Value\": 20240302013000},"
                + " {\"Name\": \"PhoneNumber\", \"Value\": 254700000001}";
    }

    private static String failure(String checkoutRequestId, String code, String description) {
        return "{\"Body\": {\"stkCallback\": {\"MerchantRequestID\": \"f1e2-4b95-a71d-b30d3cdbb7a7942864\","
                + " \"CheckoutRequestID\": \"" + checkoutRequestId + "\", \"ResultCode\": " + code + ","
                + " \"ResultDesc\": \"" + description + "\"}}}";
    }

    private static String success(String checkoutRequestId, String items) {
        return "{\"Body\": {\"stkCallback\": {\"MerchantRequestID\": \"29115-34620561-1\","
                + " \"CheckoutRequestID\": \"" + checkoutRequestId + "\", \"ResultCode\": 0,"
                + " \"ResultDesc\": \"The service request is processed successfully.\","
                + " \"CallbackMetadata\": {\"Item\": [" + items + "]}}}}";
    }

    private static Response post(String token, String body) {
        return given().contentType("application/json").body(body).when().post("/daraja/callback/" + token);
    }
}
