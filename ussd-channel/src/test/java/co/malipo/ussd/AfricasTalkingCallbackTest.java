package co.malipo.ussd;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import co.malipo.core.sms.SmsService;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The path tokens of the USSD and SMS callbacks, and Africa's Talking's delivery reports applied to
 * messages that the Africa's Talking simulator accepted.
 */
@QuarkusTest
class AfricasTalkingCallbackTest {

    static final String DELIVERY_PATH = "/sms/delivery/" + SmsInboundTest.TOKEN;

    @Inject
    SmsService sms;
    @Inject
    Db db;

    @Test
    void ussdWithWrongTokenIsNotFound() {
        Response wrong = ussd("/ussd/not-the-token");
        Response missing = ussd("/ussd");

        assertThat(wrong.statusCode()).isEqualTo(404);
        assertThat(wrong.asString()).doesNotStartWith("CON");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(ussd(UssdFlowTest.USSD_PATH).asString()).isEqualTo(UssdFlowTest.MAIN_MENU);
    }

    @Test
    void successReportDeliversAndLateReportsChangeNothing() {
        long id = sms.queue(null, "+254700000061", "Delivery report test");
        String messageId = awaitProviderId(id);

        assertThat(report(DELIVERY_PATH, messageId, "Buffered", null)).isEqualTo(200);
        assertThat(row(id)).isEqualTo("SENT|Buffered|null");
        assertThat(report(DELIVERY_PATH, messageId, "Success", null)).isEqualTo(200);
        assertThat(row(id)).isEqualTo("DELIVERED|Success|null");
        assertThat(report(DELIVERY_PATH, messageId, "Submitted", null)).isEqualTo(200);
        assertThat(report(DELIVERY_PATH, messageId, "Failed", "DeliveryFailure")).isEqualTo(200);

        assertThat(row(id)).isEqualTo("DELIVERED|Success|null");
    }

    @Test
    void rejectedReportStoresTheReason() {
        long id = sms.queue(null, "+254700000062", "Rejected report test");
        String messageId = awaitProviderId(id);

        assertThat(report(DELIVERY_PATH, messageId, "Rejected", "UserInBlackList")).isEqualTo(200);

        assertThat(row(id)).isEqualTo("REJECTED|Rejected|UserInBlackList");
    }

    @Test
    void reportsThatNameNothingAreAcknowledged() {
        long id = sms.queue(null, "+254700000063", "Unknown report test");
        String messageId = awaitProviderId(id);

        assertThat(report(DELIVERY_PATH, "ATPid_unknown_0063", "Success", null)).isEqualTo(200);
        assertThat(report(DELIVERY_PATH, messageId, "Delivered-ish", null)).isEqualTo(200);
        assertThat(report(DELIVERY_PATH, "", "Success", null)).isEqualTo(200);

        assertThat(row(id)).isEqualTo("SENT|null|null");
    }

    @Test
    void reportWithWrongTokenIsNotFound() {
        long id = sms.queue(null, "+254700000064", "Token report test");
        String messageId = awaitProviderId(id);

        assertThat(report("/sms/delivery/wrong-token", messageId, "Success", null)).isEqualTo(404);

        assertThat(row(id)).isEqualTo("SENT|null|null");
    }

    @Test
    void badlyEncodedFormGets400() {
        for (String path : List.of(UssdFlowTest.USSD_PATH, "/ussd/not-the-token", "/sms/inbound/" + SmsInboundTest.TOKEN)) {
            Response response = given().contentType("application/x-www-form-urlencoded")
                    .body("sessionId=ATUid_test_0066&phoneNumber=%2B254700000066&text=%ZZ").when().post(path);

            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.asString()).as(path).contains("not valid URL encoding");
        }
    }

    private static Response ussd(String path) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("sessionId", "ATUid_test_0060").formParam("serviceCode", "*384*5#")
                .formParam("phoneNumber", "+254700000060").formParam("text", "").formParam("networkCode", "63902")
                .when().post(path);
    }

    private static int report(String path, String messageId, String status, String failureReason) {
        var request = given().contentType("application/x-www-form-urlencoded")
                .formParam("id", messageId).formParam("status", status)
                .formParam("phoneNumber", "+254700000061").formParam("networkCode", "63902")
                .formParam("retryCount", "0");
        if (failureReason != null) {
            request = request.formParam("failureReason", failureReason);
        }
        return request.when().post(path).statusCode();
    }

    /** Returns the message's status, delivery status and failure reason, joined with {@code |}. */
    private String row(long id) {
        return db.one("SELECT status || '|' || coalesce(delivery_status, 'null') || '|' || coalesce(failure_reason, 'null')"
                + " FROM sms_messages WHERE id = ?", result -> result.getString(1), id).orElseThrow();
    }

    /** Waits up to 10 s for the simulator to accept the message, and returns its message id. */
    private String awaitProviderId(long id) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            String providerId = db.one("SELECT provider_message_id FROM sms_messages WHERE id = ? AND status = 'SENT'",
                    result -> result.getString(1), id).orElse(null);
            if (providerId != null) {
                return providerId;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("message " + id + " was not sent within 10 s: " + row(id));
    }
}
