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
    void claimWithoutResponseIs409() {
        String body = "{\"phone_number\": \"abc\", \"amount\": \"10\"}";
        push("key-5", body);
        forgetResponse("key-5", 0);

        Response again = push("key-5", body);

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.<String>path("detail")).contains("still being processed");
    }

    @Test
    void abandonedClaimIsTakenOver() {
        String body = "{\"phone_number\": \"abc\", \"amount\": \"10\"}";
        push("key-6", body);
        // A request whose app died or lost its database before it stored a response leaves this row behind.
        forgetResponse("key-6", 60);

        Response again = push("key-6", body);

        assertThat(again.statusCode()).as(again.asString()).isEqualTo(400);
        assertThat(again.header("Idempotent-Replayed")).isNull();
        int status = db.one("SELECT status_code FROM idempotency_keys WHERE merchant_id = ? AND idempotency_key = 'key-6'",
                row -> row.getInt(1), merchant.merchantId()).orElseThrow();
        assertThat(status).as("response stored by the request that took the claim over").isEqualTo(400);
    }

    /** Makes a claim look as if its request never stored a response, claimed {@code secondsAgo} seconds ago. */
    private void forgetResponse(String idempotencyKey, int secondsAgo) {
        db.update("UPDATE idempotency_keys SET status_code = NULL, response_body = NULL,"
                + " created_at = now() - make_interval(secs => ?) WHERE merchant_id = ? AND idempotency_key = ?",
                secondsAgo, merchant.merchantId(), idempotencyKey);
    }

    private Response push(String idempotencyKey, String body) {
        var request = given().contentType("application/json").header("Authorization", "Bearer " + merchant.testSecretKey());
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.body(body).when().post(Api.PUSH);
    }
}
