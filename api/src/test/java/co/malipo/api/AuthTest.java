package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.core.merchant.ApiKeys;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Keys: who may push, who may read which invoice, and how keys are stored. */
@QuarkusTest
class AuthTest {

    @Inject
    TestMerchants testMerchants;
    @Inject
    Db db;

    NewMerchant merchant;
    NewMerchant other;

    @BeforeEach
    void createMerchants() {
        merchant = testMerchants.create("Auth Shop");
        other = testMerchants.create("Other Shop");
    }

    @Test
    void pushWithoutKeyIs401() {
        Response response = given().contentType("application/json")
                .body(Map.of("phone_number", "0712000100", "amount", "10")).when().post(Api.PUSH);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.<String>path("detail")).startsWith("Authentication credentials were not provided.");
    }

    @Test
    void pushWithUnknownKeyIs401() {
        Response response = Api.push("ISSecretKey_test_" + "x".repeat(32), Map.of("phone_number", "0712000101", "amount", "10"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.<String>path("detail")).startsWith("Invalid api token");
    }

    @Test
    void pushWithPublicKeyIs401() {
        Response response = Api.push(merchant.testPublicKey(), Map.of("phone_number", "0712000102", "amount", "10"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.<String>path("detail")).contains("secret key");
    }

    @Test
    void otherMerchantsInvoiceIs404() {
        String invoiceId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000103", "amount", "10"))
                .path("invoice.invoice_id");

        Response bySecret = Api.status(other.testSecretKey(), invoiceId);
        Response byPublic = given().contentType("application/json")
                .body(Map.of("invoice_id", invoiceId, "public_key", other.testPublicKey())).when().post(Api.STATUS);

        assertThat(bySecret.statusCode()).isEqualTo(404);
        assertThat(bySecret.<String>path("detail")).startsWith("Not found");
        assertThat(byPublic.statusCode()).isEqualTo(404);
    }

    @Test
    void liveKeyCannotReadTestInvoice() {
        String invoiceId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000104", "amount", "10"))
                .path("invoice.invoice_id");

        assertThat(Api.status(merchant.liveSecretKey(), invoiceId).statusCode()).isEqualTo(404);
    }

    @Test
    void statusWithoutInvoiceIdIs400() {
        Response response = given().contentType("application/json").header("Authorization", "Bearer " + merchant.testSecretKey())
                .body(Map.of()).when().post(Api.STATUS);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.<List<String>>path("invoice_id")).isNotEmpty();
    }

    @Test
    void keysStoredOnlyAsHashes() {
        List<String> hashes = db.list("SELECT key_hash FROM api_keys WHERE merchant_id = ?", row -> row.getString(1),
                merchant.merchantId());
        String everything = String.join(" ", db.list(
                "SELECT key_hash || ' ' || key_prefix FROM api_keys WHERE merchant_id = ?", row -> row.getString(1),
                merchant.merchantId()));

        assertThat(hashes).containsExactlyInAnyOrder(ApiKeys.hash(merchant.testSecretKey()),
                ApiKeys.hash(merchant.testPublicKey()), ApiKeys.hash(merchant.liveSecretKey()),
                ApiKeys.hash(merchant.livePublicKey()));
        assertThat(everything).doesNotContain(merchant.testSecretKey()).doesNotContain(merchant.liveSecretKey());
        assertThat(hashes).allMatch(hash -> hash.matches("[0-9a-f]{64}"));
    }

    @Test
    void unknownPathHasJsonBody() {
        Response response = given().when().post("/api/v1/payment/nothing-here/");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.<String>path("detail")).isNotBlank();
    }
}
