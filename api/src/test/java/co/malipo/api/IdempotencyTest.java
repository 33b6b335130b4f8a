package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.core.merchant.NewMerchant;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Idempotency-Key replays and conflicts, and the 409 for a second open push of the same payment. */
@QuarkusTest
class IdempotencyTest {

    @Inject
    TestMerchants testMerchants;
    @Inject
    co.malipo.core.support.Db db;
    @Inject
    OpenPrompts openPrompts;

    NewMerchant merchant;

    @BeforeEach
    void createMerchant() {
        merchant = testMerchants.create("Idempotent Shop");
    }

    @AfterEach
    void cancelOpenPrompts() {
        openPrompts.cancelAll(merchant.merchantId());
    }

    @Test
    void sameKeySameBodyReplays() {
        Response first = push("key-1", "{\"phone_number\": \"0712000300\", \"amount\": \"10\"}");
        Response again = push("key-1", "{\"amount\": \"10\", \"phone_number\": \"0712000300\"}");

        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.<String>path("invoice.invoice_id")).isEqualTo(first.path("invoice.invoice_id"));
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void sameKeyOtherBodyIs409() {
        push("key-2", "{\"phone_number\": \"0712000301\", \"amount\": \"10\"}");
        Response other = push("key-2", "{\"phone_number\": \"0712000301\", \"amount\": \"11\"}");

        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(other.<String>path("detail")).contains("different request body");
    }

    @Test
    void validationErrorReplayed() {
        Response first = push("key-3", "{\"phone_number\": \"abc\", \"amount\": \"10\"}");
        Response again = push("key-3", "{\"phone_number\": \"abc\", \"amount\": \"10\"}");

        assertThat(first.statusCode()).isEqualTo(400);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.asString()).isEqualTo(first.asString());
    }

    @Test
    void secondOpenPushIs409() {
        Response first = push(null, "{\"phone_number\": \"254700200005\", \"amount\": \"10\", \"api_ref\": \"dup\"}");
        Response second = push(null, "{\"phone_number\": \"254700200005\", \"amount\": \"10\", \"api_ref\": \"dup\"}");

        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.<String>path("invoice_id")).isEqualTo(first.path("invoice.invoice_id"));
    }

    @Test
    void conflictWithOpenPushNotStored() {
        String body = "{\"phone_number\": \"254700200005\", \"amount\": \"12\", \"api_ref\": \"held\"}";
        push(null, body);

        Response keyed = push("key-4", body);

        assertThat(keyed.statusCode()).isEqualTo(409);
        int stored = db.one("SELECT count(*) FROM idempotency_keys WHERE merchant_id = ? AND idempotency_key = 'key-4'",
                row -> row.getInt(1), merchant.merchantId()).orElseThrow();
        assertThat(stored).as("a 409 releases the key so a retry can succeed").isZero();
    }

    @Test
    void concurrentRepeatsCreateOneInvoice() throws Exception {
        String body = "{\"phone_number\": \"0712000305\", \"amount\": \"10\", \"api_ref\": \"concurrent-key\"}";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(5);
        try {
            java.util.List<java.util.concurrent.Future<Response>> replies = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                replies.add(pool.submit(() -> push("key-5", body)));
            }
            java.util.Set<String> invoiceIds = new java.util.HashSet<>();
            for (java.util.concurrent.Future<Response> reply : replies) {
                Response response = reply.get();
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
                invoiceIds.add(response.path("invoice.invoice_id"));
            }
            assertThat(invoiceIds).as("invoice ids returned to five concurrent repeats").hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        int invoices = db.one("SELECT count(*) FROM invoices WHERE merchant_id = ? AND api_ref = 'concurrent-key'",
                row -> row.getInt(1), merchant.merchantId()).orElseThrow();
        assertThat(invoices).isEqualTo(1);
    }

    @Test
    void claimWithoutResponseIsTakenOver() {
        String body = "{\"phone_number\": \"abc\", \"amount\": \"10\"}";
        push("key-6", body);
        // Releases before claims and responses committed together could leave such a row behind.
        db.update("UPDATE idempotency_keys SET status_code = NULL, response_body = NULL WHERE merchant_id = ?"
                + " AND idempotency_key = 'key-6'", merchant.merchantId());

        Response again = push("key-6", body);

        assertThat(again.statusCode()).as(again.asString()).isEqualTo(400);
        assertThat(again.header("Idempotent-Replayed")).isNull();
        int status = db.one("SELECT status_code FROM idempotency_keys WHERE merchant_id = ? AND idempotency_key = 'key-6'",
                row -> row.getInt(1), merchant.merchantId()).orElseThrow();
        assertThat(status).as("response stored by the request that took the claim over").isEqualTo(400);
    }

    private Response push(String idempotencyKey, String body) {
        var request = given().contentType("application/json").header("Authorization", "Bearer " + merchant.testSecretKey());
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.body(body).when().post(Api.PUSH);
    }
}
