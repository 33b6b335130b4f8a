package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** Limits per API key and per phone number: 429 with Retry-After and a detail naming the limit. */
@QuarkusTest
@TestProfile(RateLimitTest.LowLimits.class)
class RateLimitTest {

    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("malipo.api.push-limit-per-key", "4",
                    "malipo.api.push-limit-per-key-period", "1m",
                    "malipo.api.push-limit-per-phone", "2",
                    "malipo.api.push-limit-per-phone-period", "1m",
                    "malipo.api.status-limit-per-key", "3",
                    "malipo.api.status-limit-per-key-period", "1m");
        }
    }

    @Inject
    TestMerchants testMerchants;
    @Inject
    OpenPrompts openPrompts;
    @Inject
    TestClock clock;
    @Inject
    Db db;

    private final java.util.List<NewMerchant> created = new java.util.ArrayList<>();

    @AfterEach
    void cancelOpenPrompts() {
        created.forEach(merchant -> openPrompts.cancelAll(merchant.merchantId()));
    }

    @Test
    void pushPerKeyLimit() {
        NewMerchant merchant = merchant("Limit Key Shop");
        for (int i = 0; i < 4; i++) {
            Response ok = Api.push(merchant.testSecretKey(), Map.of("phone_number", "07120014" + (10 + i), "amount", "10"));
            assertThat(ok.statusCode()).as(ok.asString()).isEqualTo(200);
        }

        Response limited = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712001420", "amount", "10"));

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("application/json");
        assertRetryAfter(limited, 15);
        assertThat(limited.<String>path("detail")).contains("push requests for this API key").contains("4 per minute");
        assertThat(invoiceCount(merchant)).as("nothing written for the limited push").isEqualTo(4);
    }

    @Test
    void keyLimitCountsInvalidPushes() {
        NewMerchant merchant = merchant("Limit Invalid Shop");
        for (int i = 0; i < 4; i++) {
            assertThat(Api.push(merchant.testSecretKey(), Map.of("amount", "10")).statusCode()).isEqualTo(400);
        }

        assertThat(Api.push(merchant.testSecretKey(), Map.of("amount", "10")).statusCode()).isEqualTo(429);
    }

    @Test
    void keysLimitedApart() {
        NewMerchant first = merchant("Limit Apart Shop A");
        NewMerchant second = merchant("Limit Apart Shop B");
        for (int i = 0; i < 5; i++) {
            Api.push(first.testSecretKey(), Map.of("amount", "10"));
        }

        assertThat(Api.push(first.testSecretKey(), Map.of("amount", "10")).statusCode()).isEqualTo(429);
        assertThat(Api.push(first.liveSecretKey(), Map.of("amount", "10")).statusCode())
                .as("the live key of the same merchant has its own budget").isEqualTo(400);
        assertThat(Api.push(second.testSecretKey(), Map.of("amount", "10")).statusCode()).isEqualTo(400);
    }

    @Test
    void pushPerPhoneAcrossMerchants() {
        NewMerchant first = merchant("Limit Phone Shop A");
        NewMerchant second = merchant("Limit Phone Shop B");
        Response one = Api.push(first.testSecretKey(), Map.of("phone_number", "0712001430", "amount", "11"));
        Response two = Api.push(second.testSecretKey(), Map.of("phone_number", "+254712001430", "amount", "12"));

        Response limited = Api.push(second.testSecretKey(), Map.of("phone_number", "254712001430", "amount", "13"));

        assertThat(one.statusCode()).as(one.asString()).isEqualTo(200);
        assertThat(two.statusCode()).as(two.asString()).isEqualTo(200);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertRetryAfter(limited, 30);
        assertThat(limited.<String>path("detail")).contains("pushes to phone 2547****1430")
                .contains("2 per minute").doesNotContain("254712001430");
        assertThat(Api.push(second.testSecretKey(), Map.of("phone_number", "0712001431", "amount", "13")).statusCode())
                .as("another phone is not limited").isEqualTo(200);
    }

    @Test
    void limitedPushNotStoredForIdempotencyKey() {
        NewMerchant merchant = merchant("Limit Idempotent Shop");
        String phone = "0712001440";
        Api.push(merchant.testSecretKey(), Map.of("phone_number", phone, "amount", "11"));
        Api.push(merchant.testSecretKey(), Map.of("phone_number", phone, "amount", "12"));
        String body = "{\"phone_number\": \"" + phone + "\", \"amount\": \"13\"}";

        Response limited = pushWithKey(merchant, "limit-key-1", body);
        clock.advance(Duration.ofSeconds(31));
        Response retried = pushWithKey(merchant, "limit-key-1", body);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(retried.statusCode()).as(retried.asString()).isEqualTo(200);
        assertThat(retried.header("Idempotent-Replayed")).as("a fresh push, not a replay of the 429").isNull();
    }

    @Test
    void statusPerKeyLimitAndRecovery() {
        NewMerchant merchant = merchant("Limit Status Shop");
        String invoiceId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712001450", "amount", "10"))
                .path("invoice.invoice_id");
        for (int i = 0; i < 3; i++) {
            assertThat(publicStatus(merchant, invoiceId).statusCode()).isEqualTo(200);
        }

        Response limited = publicStatus(merchant, invoiceId);
        Response bySecretKey = Api.status(merchant.testSecretKey(), invoiceId);
        clock.advance(Duration.ofSeconds(20));
        Response later = publicStatus(merchant, invoiceId);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertRetryAfter(limited, 20);
        assertThat(limited.<String>path("detail")).contains("status requests").contains("3 per minute");
        assertThat(bySecretKey.statusCode()).as("the secret key is a key of its own").isEqualTo(200);
        assertThat(later.statusCode()).as(later.asString()).isEqualTo(200);
    }

    @Test
    void unauthenticatedNotCountedAgainstKey() {
        NewMerchant merchant = merchant("Limit Anonymous Shop");
        for (int i = 0; i < 10; i++) {
            assertThat(given().contentType("application/json").body(Map.of("amount", "10")).when().post(Api.PUSH)
                    .statusCode()).isEqualTo(401);
        }

        assertThat(Api.push(merchant.testSecretKey(), Map.of("amount", "10")).statusCode()).isEqualTo(400);
    }

    /**
     * Checks {@code Retry-After} against the wait after a burst sent at once: the interval between
     * requests, less the seconds that the burst itself took.
     */
    private static void assertRetryAfter(Response limited, int interval) {
        int seconds = Integer.parseInt(limited.header("Retry-After"));
        assertThat(seconds).isBetween(interval - 10, interval);
        assertThat(limited.<String>path("detail")).contains("Retry after " + seconds + " seconds.");
    }

    private NewMerchant merchant(String name) {
        NewMerchant merchant = testMerchants.create(name);
        created.add(merchant);
        return merchant;
    }

    private Response publicStatus(NewMerchant merchant, String invoiceId) {
        return given().contentType("application/json").header("X-KULMI-PUBLIC-API-KEY", merchant.testPublicKey())
                .body(Map.of("invoice_id", invoiceId)).when().post(Api.STATUS);
    }

    private Response pushWithKey(NewMerchant merchant, String idempotencyKey, String body) {
        return given().contentType("application/json").header("Authorization", "Bearer " + merchant.testSecretKey())
                .header("Idempotency-Key", idempotencyKey).body(body).when().post(Api.PUSH);
    }

    private int invoiceCount(NewMerchant merchant) {
        return db.one("SELECT count(*) FROM invoices WHERE merchant_id = ?", row -> row.getInt(1), merchant.merchantId())
                .orElseThrow();
    }
}
