package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A deployment with {@code malipo.webhooks.allow-local-test-urls=false}: test endpoints follow the
 * live rule, both when stored and before each delivery.
 */
@QuarkusTest
@TestProfile(LocalWebhookUrlsOffTest.NoLocalUrls.class)
class LocalWebhookUrlsOffTest {

    public static class NoLocalUrls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("malipo.webhooks.allow-local-test-urls", "false");
        }
    }

    @Inject
    TestMerchants testMerchants;
    @Inject
    OpenPrompts openPrompts;
    @Inject
    Db db;

    @Test
    void testKeyRejectsLocalUrls() {
        NewMerchant merchant = testMerchants.create("No Local Urls Shop");
        Map<String, String> cases = Map.of(
                "http://127.0.0.1:9/hook", "https",
                "https://127.0.0.1:9/hook", "loopback",
                "https://169.254.169.254/latest/meta-data/", "link-local",
                "https://10.1.2.3/hook", "private",
                "https://[::1]/hook", "loopback",
                "https://[64:ff9b::a9fe:a9fe]/hook", "NAT64",
                "https://localhost/hook", "this machine");
        cases.forEach((url, reason) -> {
            Response response = given().contentType("application/json")
                    .header("Authorization", "Bearer " + merchant.testSecretKey())
                    .body(Map.of("endpoint", url)).when().post("/api/v1/webhooks/");
            assertThat(response.statusCode()).as(url).isEqualTo(400);
            assertThat(response.<List<String>>path("endpoint").get(0)).as(url).contains(reason);
        });
    }

    @Test
    void testDeliveryToLoopbackBlocked() throws Exception {
        NewMerchant merchant = testMerchants.create("No Local Delivery Shop");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String url = receiver.url("/local", request -> WebhookReceiver.Reply.status(200));
            String endpointId = "whk_LOCALOFF01";
            // Stored directly, as an endpoint created while local URLs were still allowed.
            db.update("INSERT INTO webhook_endpoints (id, merchant_id, environment, url, challenge, signing_secret,"
                    + " created_at, updated_at) VALUES (?, ?, 'TEST', ?, 'challenge', 'whsec_localoff', now(), now())",
                    endpointId, merchant.merchantId(), url);

            String invoiceId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712004101", "amount", "10"))
                    .path("invoice.invoice_id");
            Instant deadline = Instant.now().plusSeconds(15);
            String reason = "";
            while (reason.isEmpty() && Instant.now().isBefore(deadline)) {
                Api.sleep(200);
                reason = db.list("SELECT coalesce(failure_reason, '') FROM webhook_deliveries WHERE endpoint_id = ?"
                        + " ORDER BY sequence", row -> row.getString(1), endpointId).stream()
                        .filter(text -> !text.isEmpty()).findFirst().orElse("");
            }

            assertThat(reason).as("a delivery of invoice %s was attempted and blocked", invoiceId)
                    .contains("Blocked before sending").contains("https");
            assertThat(receiver.requests("/local")).isEmpty();
        } finally {
            openPrompts.cancelAll(merchant.merchantId());
        }
    }
}
