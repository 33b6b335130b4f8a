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

/** A deployment that accepts only test keys returns 401 for a live key. */
@QuarkusTest
@TestProfile(LiveKeysRejectedTest.TestKeysOnly.class)
class LiveKeysRejectedTest {

    public static class TestKeysOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("malipo.api.environments", "TEST");
        }
    }

    @Inject
    TestMerchants testMerchants;

    @Test
    void liveKeyIs401() {
        NewMerchant merchant = testMerchants.create("Sandbox Only Shop");

        Response live = Api.push(merchant.liveSecretKey(), Map.of("phone_number", "0712000200", "amount", "10"));
        Response test = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000200", "amount", "10"));

        assertThat(live.statusCode()).isEqualTo(401);
        assertThat(live.<String>path("detail")).contains("does not accept live keys");
        assertThat(test.statusCode()).as(test.asString()).isEqualTo(200);
    }
}
