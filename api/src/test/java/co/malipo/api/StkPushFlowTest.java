package co.malipo.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.core.ledger.LedgerRepository;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantRepository;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.merchant.Wallet;
import co.malipo.core.webhook.WebhookOutbox;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** A push through the API, the push worker, the simulator's callback over HTTP, and back to COMPLETE. */
@QuarkusTest
class StkPushFlowTest {

    @Inject
    TestMerchants testMerchants;
    @Inject
    LedgerRepository ledger;
    @Inject
    WebhookOutbox outbox;
    @Inject
    MerchantRepository merchants;

    NewMerchant merchant;

    @BeforeEach
    void createMerchant() {
        merchant = testMerchants.create("Flow Shop");
    }

    @Test
    void pushCompletesWithReceipt() {
        Response pushed = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712345678", "amount", "100"));

        assertThat(pushed.statusCode()).as(pushed.asString()).isEqualTo(200);
        assertThat(pushed.<String>path("invoice.state")).isEqualTo("PENDING");
        String invoiceId = pushed.path("invoice.invoice_id");
        assertThat(invoiceId).matches("[0-9A-HJKMNP-TV-Z]{10}");
        assertThat(pushed.<String>path("invoice.id")).isEqualTo(invoiceId);
        assertThat(pushed.<String>path("invoice.value")).isEqualTo("100.00");
        assertThat(pushed.<String>path("invoice.charges")).isEqualTo("2.00");
        assertThat(pushed.<String>path("invoice.net_amount")).isEqualTo("98.00");
        assertThat(pushed.<String>path("invoice.account")).isEqualTo("254712345678");
        assertThat(pushed.<String>path("invoice.api_ref")).isEqualTo("MPesa Express");
        assertThat(pushed.<String>path("invoice.mpesa_reference")).isNull();
        assertThat(pushed.<String>path("customer.phone_number")).isEqualTo("254712345678");
        assertThat(pushed.<String>path("id")).matches("[0-9a-f-]{36}");

        Response done = Api.awaitState(merchant.testSecretKey(), invoiceId, "COMPLETE", Duration.ofSeconds(20));

        assertThat(done.<String>path("invoice.state")).as(done.asString()).isEqualTo("COMPLETE");
        assertThat(done.<String>path("invoice.mpesa_reference")).matches("[A-Z0-9]{10}");
        assertThat(done.<String>path("invoice.clearing_status")).isEqualTo("AVAILABLE");
        assertThat(done.<String>path("meta.customer.customer_id")).isEqualTo(pushed.path("customer.customer_id"));
        assertThat(ledger.countCredits(invoiceId)).isEqualTo(1);
        String walletId = done.path("invoice.wallet_id");
        assertThat(ledger.walletBalance(walletId)).isEqualByComparingTo(new BigDecimal("98.00"));
        assertThat(outbox.count(invoiceId)).as("created, processing and complete events").isEqualTo(3);
    }

    @Test
    void furtherWalletCredited() {
        Wallet working = merchants.insertWorkingWallet(merchant.merchantId(), Environment.TEST, "Events");
        Response pushed = Api.push(merchant.testSecretKey(),
                Map.of("phone_number", "0712345681", "amount", "200", "wallet_id", working.id()));
        String invoiceId = pushed.path("invoice.invoice_id");

        Response done = Api.awaitState(merchant.testSecretKey(), invoiceId, "COMPLETE", Duration.ofSeconds(20));

        assertThat(done.<String>path("invoice.wallet_id")).isEqualTo(working.id());
        assertThat(ledger.walletBalance(working.id())).isEqualByComparingTo(new BigDecimal("197.00"));
    }

    @Test
    void statusByPublicKeyAlone() {
        Response pushed = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712345679", "amount", 50));
        String invoiceId = pushed.path("invoice.invoice_id");

        io.restassured.RestAssured.given().contentType("application/json")
                .body(Map.of("invoice_id", invoiceId, "public_key", merchant.testPublicKey()))
                .when().post(Api.STATUS)
                .then().statusCode(200).body("invoice.invoice_id", org.hamcrest.Matchers.equalTo(invoiceId));
        io.restassured.RestAssured.given().contentType("application/json")
                .header("X-KULMI-PUBLIC-API-KEY", merchant.testPublicKey())
                .body(Map.of("invoice_id", invoiceId))
                .when().post("/api/v1/payment/collection/status")
                .then().statusCode(200).body("invoice.id", org.hamcrest.Matchers.equalTo(invoiceId));
        io.restassured.RestAssured.given().contentType("application/json")
                .header("INTASEND_PUBLIC_API_KEY", merchant.testPublicKey())
                .body(Map.of("invoice_id", invoiceId))
                .when().post("/api/v1/payment/status")
                .then().statusCode(200).body("invoice.id", org.hamcrest.Matchers.equalTo(invoiceId));
    }

    @Test
    void olderPushPathWorksWithoutRedirect() {
        Response pushed = io.restassured.RestAssured.given().redirects().follow(false).contentType("application/json")
                .header("Authorization", "Bearer " + merchant.testSecretKey())
                .body(Map.of("phone_number", "0712345680", "amount", "10"))
                .when().post("/api/v1/payment/collection/stk-push");

        assertThat(pushed.statusCode()).as(pushed.asString()).isEqualTo(200);
        assertThat(pushed.<String>path("invoice.state")).isEqualTo("PENDING");
    }
}
