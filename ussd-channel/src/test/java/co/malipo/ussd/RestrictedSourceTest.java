package co.malipo.ussd;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With {@code malipo.sms.allowed-networks} set to Africa's Talking's networks only, the tests'
 * loopback requests are refused on every Africa's Talking callback even with the right tokens.
 */
@QuarkusTest
@TestProfile(RestrictedSourceTest.AfricasTalkingNetworksOnly.class)
class RestrictedSourceTest {

    /** Allows one documentation network and one address, neither of them loopback. */
    public static class AfricasTalkingNetworksOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("malipo.sms.allowed-networks", "192.0.2.0/24,198.51.100.7");
        }
    }

    @Inject
    Db db;

    @Test
    void loopbackSourceIsRefusedEverywhere() {
        int ussd = given().contentType("application/x-www-form-urlencoded")
                .formParam("sessionId", "ATUid_test_0065").formParam("serviceCode", "*384*5#")
                .formParam("phoneNumber", "+254700000065").formParam("text", "")
                .when().post(UssdFlowTest.USSD_PATH).statusCode();
        int inbound = given().contentType("application/x-www-form-urlencoded")
                .formParam("from", "+254700000065").formParam("to", "40404").formParam("text", "STATUS")
                .formParam("id", "ATXid_restricted_0065")
                .when().post("/sms/inbound/" + SmsInboundTest.TOKEN).statusCode();
        int delivery = given().contentType("application/x-www-form-urlencoded")
                .formParam("id", "ATPid_restricted_0065").formParam("status", "Success")
                .when().post(AfricasTalkingCallbackTest.DELIVERY_PATH).statusCode();

        assertThat(ussd).isEqualTo(404);
        assertThat(inbound).isEqualTo(404);
        assertThat(delivery).isEqualTo(404);
        assertThat(db.one("SELECT count(*) FROM sms_inbound WHERE message_id = ?", row -> row.getInt(1),
                "ATXid_restricted_0065")).contains(0);
    }
}
