package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.sms.SmsSender;
import co.malipo.core.sms.SmsService;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Runs a full flow with the gateway's own loggers at DEBUG and the log written to a file: pushes
 * that complete, fail and hit a configuration error, Daraja callbacks, a signed webhook delivery,
 * rejected requests and an SMS. The file must contain no customer phone number in any form and
 * no secret.
 */
@QuarkusTest
@TestProfile(LogScanTest.FileLog.class)
class LogScanTest {

    static final Path LOG_FILE = Path.of("target", "log-scan", "api.log");

    public static class FileLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG_FILE.toString(),
                    "quarkus.log.file.level", "ALL",
                    "quarkus.log.category.\"co.malipo\".level", "DEBUG");
        }
    }

    /** Customer numbers of the flow as 9-digit subscriber numbers; every written form contains them. */
    private static final List<String> SUBSCRIBERS = List.of("712002101", "712002102", "700101032", "700300002",
            "711002103");

    @Inject
    TestMerchants testMerchants;
    @Inject
    OpenPrompts openPrompts;
    @Inject
    SmsService sms;
    @Inject
    SmsSender smsSender;
    @Inject
    Db db;

    @Test
    void fullFlowLogsNoPhoneOrSecret() throws Exception {
        NewMerchant merchant = testMerchants.create("Log Scan Shop");
        List<String> secrets = new ArrayList<>(List.of(merchant.testSecretKey(), merchant.liveSecretKey(),
                "simulator-passkey-not-a-secret", "simulator-consumer-secret", "simulator-at-api-key-not-a-secret",
                // The STK Password is base64(shortcode + passkey + timestamp); its first 36 characters
                // encode the first 27 bytes, shortcode and passkey only, whatever the timestamp.
                Base64.getEncoder().encodeToString("174379simulator-passkey-not".getBytes(StandardCharsets.UTF_8)),
                Base64.getEncoder().encodeToString("simulator-consumer-key:simulator-consumer-secret"
                        .getBytes(StandardCharsets.UTF_8))));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            Response endpoint = given().contentType("application/json")
                    .header("Authorization", "Bearer " + merchant.testSecretKey())
                    .body(Map.of("endpoint", receiver.url("/scan", request -> WebhookReceiver.Reply.status(200))))
                    .when().post("/api/v1/webhooks/");
            assertThat(endpoint.statusCode()).as(endpoint.asString()).isEqualTo(201);
            secrets.add(endpoint.path("signing_secret"));
            secrets.add(endpoint.path("challenge"));

            String paid = pushOk(merchant, "0712002101", "100");
            String cancelled = pushOk(merchant, "+254700101032", "101");
            String misconfigured = pushOk(merchant, "254700300002", "102");
            rejectedRequests(merchant);
            await(() -> "COMPLETE".equals(state(merchant, paid)) && "FAILED".equals(state(merchant, cancelled))
                    && "FAILED".equals(state(merchant, misconfigured)));
            given().contentType("application/json").header("X-KULMI-PUBLIC-API-KEY", merchant.testPublicKey())
                    .body(Map.of("invoice_id", paid)).when().post(Api.STATUS).then().statusCode(200);
            await(() -> receiver.requests("/scan").size() >= 3);
            secrets.addAll(db.list("SELECT callback_token FROM invoices WHERE merchant_id = ?", row -> row.getString(1),
                    merchant.merchantId()));

            sms.queue(null, "0711002103", "Log scan message");
            await(() -> smsSender.sendDue() >= 0 && sentSmsCount("254711002103") == 1);
        } finally {
            openPrompts.cancelAll(merchant.merchantId());
        }

        String log = Files.readString(LOG_FILE, StandardCharsets.UTF_8);
        assertThat(log).as("the flow was logged").contains("Callback").contains("500.001.1001");
        for (String subscriber : SUBSCRIBERS) {
            assertThat(log).as("phone %s in any form", subscriber).doesNotContain(subscriber);
        }
        for (String secret : secrets) {
            assertThat(secret).isNotBlank();
            assertThat(log).as("secret %s...", secret.substring(0, Math.min(6, secret.length()))).doesNotContain(secret);
        }
        assertThat(log).as("no Authorization header value").doesNotContain("Bearer ").doesNotContain("Basic ");
        assertThat(log).as("masked phones are what the log may show").doesNotContainPattern("2547\\d{8}");
    }

    private void rejectedRequests(NewMerchant merchant) {
        Api.push(merchant.testSecretKey(), Map.of("phone_number", "071200210x", "amount", "10")).then().statusCode(400);
        Api.push(merchant.testSecretKey() + "x", Map.of("phone_number", "0712002102", "amount", "10"))
                .then().statusCode(401);
        Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712002102", "amount", "5")).then().statusCode(400);
        given().contentType("application/json").header("X-KULMI-PUBLIC-API-KEY", merchant.testSecretKey())
                .body(Map.of("invoice_id", "0712002102")).when().post(Api.STATUS).then().statusCode(401);
        int unknownToken = given().contentType("application/json")
                .body("{\"Body\": {\"stkCallback\": {\"ResultCode\": 0}}}")
                .when().post("/daraja/callback/not-a-token-0712002102").statusCode();
        assertThat(unknownToken).isBetween(400, 499);
    }

    private static String pushOk(NewMerchant merchant, String phone, String amount) {
        Response response = Api.push(merchant.testSecretKey(), Map.of("phone_number", phone, "amount", amount));
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response.path("invoice.invoice_id");
    }

    private static String state(NewMerchant merchant, String invoiceId) {
        return Api.status(merchant.testSecretKey(), invoiceId).path("invoice.state");
    }

    private int sentSmsCount(String phone) {
        return db.one("SELECT count(*) FROM sms_messages WHERE phone = ? AND status = 'SENT'", row -> row.getInt(1), phone)
                .orElse(0);
    }

    private static void await(BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition met within 20 s").isBefore(deadline);
            Api.sleep(200);
        }
    }
}
