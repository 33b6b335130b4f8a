package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Hostile clients of the merchant API: the authentication matrix beyond {@link AuthTest}, bodies
 * at and over the limits, raw CRLF in headers, and a webhook URL that points at this machine
 * by the time a live delivery is sent.
 */
@QuarkusTest
class AbuseTest {

    static final String WEBHOOKS = "/api/v1/webhooks/";

    @Inject
    TestMerchants testMerchants;
    @Inject
    OpenPrompts openPrompts;
    @Inject
    TestClock clock;
    @Inject
    Db db;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    NewMerchant merchant;
    NewMerchant other;

    @BeforeEach
    void createMerchants() {
        merchant = testMerchants.create("Abuse Shop");
        other = testMerchants.create("Abuse Other Shop");
    }

    @AfterEach
    void cancelOpenPrompts() {
        openPrompts.cancelAll(merchant.merchantId());
        openPrompts.cancelAll(other.merchantId());
    }

    /** Lists every endpoint that needs a key, each called as a merchant's code would call it. */
    private List<Call> calls() {
        return List.of(
                new Call("push", spec -> spec.contentType("application/json")
                        .body("{\"phone_number\": \"0712004001\", \"amount\": \"10\"}").post(Api.PUSH)),
                new Call("status", spec -> spec.contentType("application/json")
                        .body("{\"invoice_id\": \"GQ7KZ2XPNM\"}").post(Api.STATUS)),
                new Call("list webhooks", spec -> spec.get(WEBHOOKS)),
                new Call("create webhook", spec -> spec.contentType("application/json")
                        .body("{\"endpoint\": \"http://127.0.0.1:9/abuse\"}").post(WEBHOOKS)),
                new Call("list deliveries", spec -> spec.get(WEBHOOKS + "events/")));
    }

    private record Call(String name, java.util.function.Function<RequestSpecification, Response> send) {
    }

    @Test
    void badCredentialsAre401Everywhere() {
        Map<String, String> authorizations = Map.of(
                "garbage scheme", "Basic dXNlcjpwYXNz",
                "empty bearer", "Bearer ",
                "unknown key of the right shape", "Bearer ISSecretKey_test_" + "Z".repeat(32),
                "key with an extra character", "Bearer " + merchant.testSecretKey() + "x",
                "key in lower case", "Bearer " + merchant.testSecretKey().toLowerCase(),
                "key of 5,000 characters", "Bearer " + "k".repeat(5_000),
                "SQL in the key", "Bearer ' OR '1'='1",
                "public key as bearer on secret-only calls", "Bearer " + merchant.testPublicKey());
        for (Call call : calls()) {
            for (Map.Entry<String, String> authorization : authorizations.entrySet()) {
                if (call.name().equals("status") && authorization.getKey().startsWith("public key")) {
                    continue;
                }
                Response response = call.send().apply(given().header("Authorization", authorization.getValue()).when());
                assertThat(response.statusCode()).as("%s with %s", call.name(), authorization.getKey()).isEqualTo(401);
                assertThat(response.<String>path("detail")).as("%s with %s", call.name(), authorization.getKey())
                        .isNotBlank();
            }
        }
        assertThat(invoiceCount(merchant)).as("nothing written").isZero();
    }

    @Test
    void revokedKeysAre401() {
        revoke(merchant.testSecretKey());
        revoke(merchant.testPublicKey());

        for (Call call : calls()) {
            Response response = call.send().apply(given().header("Authorization", "Bearer " + merchant.testSecretKey()).when());
            assertThat(response.statusCode()).as(call.name()).isEqualTo(401);
            assertThat(response.<String>path("detail")).contains("revoked");
        }
        Response byPublicKey = given().contentType("application/json").header("X-KULMI-PUBLIC-API-KEY",
                merchant.testPublicKey()).body(Map.of("invoice_id", "GQ7KZ2XPNM")).when().post(Api.STATUS);
        assertThat(byPublicKey.statusCode()).isEqualTo(401);
        assertThat(Api.push(merchant.liveSecretKey(), Map.of("amount", "10")).statusCode())
                .as("revoking the test key leaves the live key working").isEqualTo(400);
    }

    @Test
    void keyRevokedAfterUseStopsWithinCacheTime() {
        assertThat(Api.push(merchant.testSecretKey(), Map.of("amount", "10")).statusCode()).isEqualTo(400);
        revoke(merchant.testSecretKey());

        clock.advance(Duration.ofSeconds(31));
        Response later = Api.push(merchant.testSecretKey(), Map.of("amount", "10"));

        assertThat(later.statusCode()).as("the key cache keeps a key for at most 30 s").isEqualTo(401);
    }

    @Test
    void testKeyCannotReadLiveInvoice() {
        String invoiceId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "254700101032", "amount", "10"))
                .path("invoice.invoice_id");
        Api.awaitState(merchant.testSecretKey(), invoiceId, "FAILED", Duration.ofSeconds(10));
        // The invoice becomes live data once it is final, so that no live push ever leaves this test.
        db.update("UPDATE invoices SET environment = 'LIVE' WHERE id = ?", invoiceId);

        Response byTestSecret = Api.status(merchant.testSecretKey(), invoiceId);
        Response byTestPublic = given().contentType("application/json").header("X-KULMI-PUBLIC-API-KEY",
                merchant.testPublicKey()).body(Map.of("invoice_id", invoiceId)).when().post(Api.STATUS);
        Response byLiveSecret = Api.status(merchant.liveSecretKey(), invoiceId);

        assertThat(byTestSecret.statusCode()).isEqualTo(404);
        assertThat(byTestPublic.statusCode()).isEqualTo(404);
        assertThat(byLiveSecret.statusCode()).as(byLiveSecret.asString()).isEqualTo(200);
        assertThat(byLiveSecret.<String>path("invoice.state")).isEqualTo("FAILED");
    }

    @Test
    void otherMerchantsInvoiceIdInAnyForm() {
        String invoiceId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712004002", "amount", "10"))
                .path("invoice.invoice_id");

        for (String form : List.of(invoiceId, invoiceId.toLowerCase(), " " + invoiceId + " ", invoiceId + "' OR '1'='1",
                invoiceId.substring(0, 5) + "%")) {
            Response response = Api.status(other.testSecretKey(), form);
            assertThat(response.statusCode()).as(form).isIn(400, 404);
            assertThat(response.asString()).as(form).doesNotContain("0712004002").doesNotContain("254712004002");
        }
        assertThat(Api.status(merchant.testSecretKey(), invoiceId.toLowerCase()).statusCode()).isEqualTo(200);
    }

    @Test
    void bodiesAtAndOverLimits() {
        String head = "{\"phone_number\": \"0712004003\", \"amount\": \"10\", \"pad\": \"";
        String tail = "\"}";
        String atLimit = head + "x".repeat(64 * 1024 - head.length() - tail.length()) + tail;
        String overLimit = head + "x".repeat(64 * 1024 - head.length() - tail.length() + 1) + tail;
        String overServerLimit = head + "x".repeat(300 * 1024) + tail;

        assertThat(atLimit.length()).isEqualTo(64 * 1024);
        assertThat(pushRaw(atLimit.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        Response over = pushRaw(overLimit.getBytes(StandardCharsets.UTF_8));
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.<String>path("detail")).contains("64 KiB");
        assertThat(pushRaw(overServerLimit.getBytes(StandardCharsets.UTF_8)).statusCode())
                .as("cut off by the HTTP server").isEqualTo(413);
        for (String path : List.of(Api.STATUS, WEBHOOKS)) {
            Response response = given().contentType("application/json")
                    .header("Authorization", "Bearer " + merchant.testSecretKey())
                    .body(overLimit.getBytes(StandardCharsets.UTF_8)).when().post(path);
            assertThat(response.statusCode()).as(path).isEqualTo(413);
        }
    }

    @Test
    void hostileJsonOnEveryBodyEndpoint() {
        List<byte[]> bodies = List.of(
                ("{\"a\": " + "[".repeat(20_000) + "]".repeat(20_000) + "}").getBytes(StandardCharsets.UTF_8),
                ("{\"a\": " + "{\"a\": ".repeat(5_000) + "1" + "}".repeat(5_000) + "}").getBytes(StandardCharsets.UTF_8),
                ("{\"amount\": 1" + "0".repeat(1000) + ", \"invoice_id\": 1" + "0".repeat(1000) + "}")
                        .getBytes(StandardCharsets.UTF_8),
                ("{\"amount\": \"" + "9".repeat(1000) + "\", \"phone_number\": \"" + "7".repeat(1000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8),
                ("{\"endpoint\": \"http://127.0.0.1:9/\", \"endpoint\": \"http://127.0.0.1:9/b\"}")
                        .getBytes(StandardCharsets.UTF_8),
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'},
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0x80, '"', '}'},
                new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xE2, (byte) 0x82},
                new byte[] {(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0});
        for (String path : List.of(Api.PUSH, Api.STATUS, WEBHOOKS)) {
            for (byte[] body : bodies) {
                Response response = given().contentType("application/json")
                        .header("Authorization", "Bearer " + merchant.testSecretKey()).body(body).when().post(path);
                String shown = new String(body, 0, Math.min(body.length, 40), StandardCharsets.ISO_8859_1);
                assertThat(response.statusCode()).as("%s %s: %s", path, shown, response.asString()).isEqualTo(400);
                assertThat(response.contentType()).startsWith("application/json");
                assertThat(response.asString()).doesNotContain("Exception").doesNotContain("co.malipo.");
            }
        }
        assertThat(invoiceCount(merchant)).isZero();
        assertThat(db.one("SELECT count(*) FROM webhook_endpoints WHERE merchant_id = ?", row -> row.getInt(1),
                merchant.merchantId()).orElseThrow()).isZero();
    }

    @Test
    void crlfInHeadersRejected() throws IOException {
        String body = "{\"phone_number\": \"0712004004\", \"amount\": \"10\"}";
        List<String> injected = List.of(
                "Idempotency-Key: abc\rSet-Cookie: a=b",
                "Idempotency-Key: abc\nX-Injected: 1",
                "X-KULMI-PUBLIC-API-KEY: " + merchant.testPublicKey() + "\u0000",
                "Authorization: Bearer " + merchant.testSecretKey() + "\rX-Injected: 1");
        for (String header : injected) {
            String reply = rawPost(Api.PUSH, List.of("Authorization: Bearer " + merchant.testSecretKey(), header), body);
            // A bare LF ends a header line, so that request carries one more header of the client's own.
            // What matters is that nothing is echoed into the response and nothing fails.
            assertThat(reply).as(header).matches("(?s)HTTP/1\\.1 [234]\\d\\d .*");
            assertThat(reply).as(header).doesNotContain("Set-Cookie").doesNotContain("X-Injected");
        }
        Response crlfRef = Api.push(merchant.testSecretKey(),
                Map.of("phone_number", "0712004004", "amount", "10", "api_ref", "ref\r\nX-Injected: 1"));
        assertThat(crlfRef.statusCode()).isEqualTo(400);
        assertThat(crlfRef.<List<String>>path("api_ref")).isNotEmpty();
        Response crlfUrl = given().contentType("application/json").header("Authorization", "Bearer " + merchant.testSecretKey())
                .body(Map.of("endpoint", "http://127.0.0.1:9/a\r\nHost: evil")).when().post(WEBHOOKS);
        assertThat(crlfUrl.statusCode()).isEqualTo(400);
    }

    @Test
    void liveDeliveryToLoopbackBlocked() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String url = receiver.url("/rebound", request -> WebhookReceiver.Reply.status(200));
            String endpointId = given().contentType("application/json")
                    .header("Authorization", "Bearer " + merchant.testSecretKey())
                    .body(Map.of("endpoint", url)).when().post(WEBHOOKS).path("id");
            // As if the host had resolved to a public address when the URL was stored, and to
            // loopback by the time of the delivery.
            db.update("UPDATE webhook_endpoints SET environment = 'LIVE', url = ? WHERE id = ?",
                    url.replace("http://", "https://"), endpointId);
            UUID deliveryId = insertDueDelivery(endpointId);

            Instant deadline = Instant.now().plusSeconds(15);
            String reason = "";
            while (reason.isEmpty() && Instant.now().isBefore(deadline)) {
                Api.sleep(200);
                reason = db.one("SELECT coalesce(failure_reason, '') FROM webhook_deliveries WHERE id = ?",
                        row -> row.getString(1), deliveryId).orElseThrow();
            }

            assertThat(reason).as("the delivery was attempted and blocked").isNotEmpty();
            assertThat(reason).contains("Blocked before sending").contains("loopback");
            assertThat(receiver.requests("/rebound")).as("requests that reached the loopback receiver").isEmpty();
        }
    }

    private UUID insertDueDelivery(String endpointId) {
        String invoiceId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712004005", "amount", "10"))
                .path("invoice.invoice_id");
        UUID eventId = UUID.randomUUID();
        UUID deliveryId = UUID.randomUUID();
        db.update("INSERT INTO webhook_events (id, merchant_id, environment, invoice_id, sequence, topic, payload, created_at)"
                + " VALUES (?, ?, 'LIVE', ?, 9000, 'collection_event', '{\"state\": \"COMPLETE\"}'::jsonb, now())",
                eventId, merchant.merchantId(), invoiceId);
        db.update("INSERT INTO webhook_deliveries (id, event_id, endpoint_id, invoice_id, sequence, status, attempts,"
                + " next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, 9000, 'PENDING', 0, now(), now(), now())",
                deliveryId, eventId, endpointId, invoiceId);
        return deliveryId;
    }

    /** Sends a request over a plain socket, so that headers go out exactly as written, CR and LF included. */
    private String rawPost(String path, List<String> headers, String body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nConnection: close\r\n");
            headers.forEach(header -> request.append(header).append("\r\n"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            request.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            try {
                in.transferTo(reply);
            } catch (java.net.SocketTimeoutException e) {
                // The server kept the connection open; what arrived is enough.
            }
            return reply.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private Response pushRaw(byte[] body) {
        return given().contentType("application/json").header("Authorization", "Bearer " + merchant.testSecretKey())
                .body(body).when().post(Api.PUSH);
    }

    private void revoke(String key) {
        db.update("UPDATE api_keys SET revoked_at = now() WHERE key_hash = ?", co.malipo.core.merchant.ApiKeys.hash(key));
    }

    private int invoiceCount(NewMerchant owner) {
        return db.one("SELECT count(*) FROM invoices WHERE merchant_id = ?", row -> row.getInt(1), owner.merchantId())
                .orElseThrow();
    }
}
