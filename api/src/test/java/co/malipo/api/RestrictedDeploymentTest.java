package co.malipo.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import co.malipo.core.merchant.NewMerchant;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * A deployment restricted by configuration: it accepts only test keys, and callbacks only from a
 * network that excludes loopback.
 */
@QuarkusTest
@TestProfile(RestrictedDeploymentTest.TestKeysOnly.class)
class RestrictedDeploymentTest {

    public static class TestKeysOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("malipo.api.environments", "TEST",
                    "malipo.callback.allowed-networks", "196.201.214.0/24,10.1.2.3");
        }
    }

    @Inject
    TestMerchants testMerchants;
    @Inject
    co.malipo.core.invoice.InvoiceRepository invoices;
    @Inject
    co.malipo.core.callback.CallbackRepository callbacks;

    @Test
    void liveKeyIs401() {
        NewMerchant merchant = testMerchants.create("Sandbox Only Shop");

        Response live = Api.push(merchant.liveSecretKey(), Map.of("phone_number", "0712000200", "amount", "10"));
        Response test = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000200", "amount", "10"));

        assertThat(live.statusCode()).isEqualTo(401);
        assertThat(live.<String>path("detail")).contains("does not accept live keys");
        assertThat(test.statusCode()).as(test.asString()).isEqualTo(200);
    }

    @Test
    void callbackOutsideAllowlistIs403() {
        NewMerchant merchant = testMerchants.create("Allowlist Shop");
        String id = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000201", "amount", "10"))
                .path("invoice.invoice_id");
        String token = invoices.find(id).orElseThrow().callbackToken();

        Response response = io.restassured.RestAssured.given().contentType("application/json")
                .body("{\"Body\": {\"stkCallback\": {\"CheckoutRequestID\": \"ws_CO_1\", \"ResultCode\": 1032}}}")
                .when().post("/daraja/callback/" + token);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(callbacks.countForToken(token)).as("rejected before it is stored").isZero();
    }
}
