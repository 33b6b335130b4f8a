package co.malipo.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.api.WebhookReceiver.Reply;
import co.malipo.core.callback.CallbackRepository;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.InvoiceView;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import co.malipo.core.support.Ids;
import co.malipo.core.webhook.WebhookSigner;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Webhook delivery end to end: pushes through the simulator, the outbox and the delivery worker
 * to receivers on 127.0.0.1 that this class starts, with the test profile's 1 s retry delays,
 * 1 s read timeout and 1 s poll. Endpoints are inserted with SQL.
 */
@QuarkusTest
class WebhookDeliveryTest {

    /** The simulator accepts pushes to this number but never calls back, so the test posts the result. */
    static final String SILENT_PHONE = "254700200005";
    /** The simulator posts the success callback of this number three times at once. */
    static final String TRIPLE_CALLBACK_PHONE = "254700200002";
    static final long TOLERANCE_SECONDS = 300;
    static final Path EXAMPLES = Path.of("../docs/examples/webhooks");
    static final Path NODE_DIR = Path.of("src/test/node");

    @Inject
    TestMerchants testMerchants;
    @Inject
    InvoiceRepository invoices;
    @Inject
    CallbackRepository callbacks;
    @Inject
    OpenPrompts openPrompts;
    @Inject
    Db db;
    @Inject
    TestClock clock;

    NewMerchant merchant;
    WebhookReceiver receiver;

    record Endpoint(String id, String path, String secret, String challenge) {
    }

    @BeforeEach
    void start() throws Exception {
        merchant = testMerchants.create("Webhook Shop");
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stop() {
        // Deleted endpoints are never claimed, so retries of this test do not run into the next one.
        db.update("UPDATE webhook_endpoints SET deleted_at = now() WHERE merchant_id = ?", merchant.merchantId());
        openPrompts.cancelAll(merchant.merchantId());
        receiver.close();
    }

    @Test
    void failuresRetriedUntilDelivered() {
        AtomicInteger completeHits = new AtomicInteger();
        Endpoint a = endpoint("/a", request -> "COMPLETE".equals(request.state()) && completeHits.incrementAndGet() <= 2
                ? Reply.status(500) : Reply.status(200));

        String invoiceId = push("0712300101");
        await("three COMPLETE requests at A", Duration.ofSeconds(20),
                () -> receiver.requests(a.path(), "COMPLETE").size() >= 3);
        UUID delivery = completeDelivery(a, invoiceId);
        await("the COMPLETE delivery to A is DELIVERED", Duration.ofSeconds(5),
                () -> "DELIVERED".equals(deliveryStatus(delivery)));
        // Longer than one retry delay plus one poll interval: a stray retry would arrive by then.
        Api.sleep(2500);

        List<WebhookReceiver.Request> completes = receiver.requests(a.path(), "COMPLETE");
        assertThat(completes).as("no request after the 200").hasSize(3);
        for (int i = 1; i < completes.size(); i++) {
            assertThat(Duration.between(completes.get(i - 1).receivedAt, completes.get(i).receivedAt))
                    .as("gap before retry %d", i).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        assertThat(completes).extracting(request -> request.header("webhook-id")).as("one event id").containsOnly(
                completes.get(0).header("webhook-id"));
        assertThat(attemptStatusCodes(delivery)).containsExactly(500, 500, 200);
        assertThat(deliveryAttempts(delivery)).isEqualTo(3);
        assertThat(consecutiveFailures(a)).as("reset by the success").isZero();
    }

    @Test
    void redirectCountsAsFailure() {
        AtomicInteger targetHits = new AtomicInteger();
        String target = receiver.url("/b-target", request -> {
            targetHits.incrementAndGet();
            return Reply.status(200);
        });
        Endpoint b = endpoint("/b", request -> new Reply(302, 0, target));

        String invoiceId = push("0712300102");
        await("a COMPLETE request at B", Duration.ofSeconds(15),
                () -> !receiver.requests(b.path(), "COMPLETE").isEmpty());
        UUID delivery = completeDelivery(b, invoiceId);
        await("an attempt recorded for the COMPLETE delivery to B", Duration.ofSeconds(5),
                () -> !attemptStatusCodes(delivery).isEmpty());

        assertThat(attemptStatusCodes(delivery).get(0)).isEqualTo(302);
        assertThat(attemptErrors(delivery).get(0)).contains("HTTP 302").contains("redirects are not followed");
        assertThat(deliveryStatus(delivery)).isNotEqualTo("DELIVERED");
        assertThat(consecutiveFailures(b)).isPositive();
        assertThat(targetHits.get()).as("requests to the redirect target").isZero();
    }

    @Test
    void readTimeoutRecordedAsFailure() {
        Endpoint c = endpoint("/c", request -> new Reply(200, 3000, null));

        push("0712300103");
        await("an attempt recorded at C", Duration.ofSeconds(15), () -> !attemptsOf(c).isEmpty());

        List<Map<String, Object>> attempts = attemptsOf(c);
        Map<String, Object> first = attempts.get(0);
        assertThat(first.get("status_code")).as("no reply, so no status").isNull();
        assertThat((String) first.get("error")).contains("HttpTimeoutException");
        assertThat((Integer) first.get("latency_ms")).as("cut off by the 1 s read timeout").isBetween(900, 2900);
        assertThat(consecutiveFailures(c)).isPositive();
        assertThat(db.one("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'DELIVERED'",
                row -> row.getInt(1), c.id()).orElseThrow()).isZero();
    }

    @Test
    void slowEndpointNeverGetsNewerFirst() {
        Endpoint d = endpoint("/d", request -> "PROCESSING".equals(request.state())
                ? new Reply(200, 800, null) : Reply.status(200));

        String invoiceId = push(SILENT_PHONE);
        await("a PROCESSING request at D", Duration.ofSeconds(15),
                () -> !receiver.requests(d.path(), "PROCESSING").isEmpty());
        // The success arrives while D is still replying to the PROCESSING request.
        postSuccess(invoices.find(invoiceId).orElseThrow());
        await("a COMPLETE request at D", Duration.ofSeconds(10),
                () -> !receiver.requests(d.path(), "COMPLETE").isEmpty());

        List<WebhookReceiver.Request> received = receiver.requests(d.path());
        for (int i = 1; i < received.size(); i++) {
            assertThat(received.get(i).sequence()).as("sequence of request %d", i)
                    .isGreaterThan(received.get(i - 1).sequence());
        }
        WebhookReceiver.Request processing = receiver.requests(d.path(), "PROCESSING").get(0);
        WebhookReceiver.Request complete = receiver.requests(d.path(), "COMPLETE").get(0);
        assertThat(processing.repliedAt).as("D replied to PROCESSING").isNotNull();
        assertThat(complete.receivedAt).as("COMPLETE is sent only after the PROCESSING reply")
                .isAfterOrEqualTo(processing.repliedAt);
        assertThat(receiver.requests(d.path()).get(received.size() - 1).state()).isEqualTo("COMPLETE");
    }

    @Test
    void newEventSupersedesWaitingDelivery() {
        Endpoint s = endpoint("/s", request -> Reply.status(503));
        String invoiceId = push(SILENT_PHONE);
        await("no attempt in flight after the PROCESSING delivery", Duration.ofSeconds(15),
                () -> deliveryStatus(invoiceId, s, 2) != null && !hasDeliveryInFlight(invoiceId, s));
        // Both deliveries wait for a retry an hour away, so no attempt or claim touches them.
        db.update("UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = now() + interval '1 hour'"
                + " WHERE invoice_id = ? AND endpoint_id = ?", invoiceId, s.id());

        postSuccess(invoices.find(invoiceId).orElseThrow());

        assertThat(deliveryStatus(invoiceId, s, 2)).as("PROCESSING delivery right after COMPLETE committed")
                .isEqualTo("SUPERSEDED");
        assertThat(deliveryStatus(invoiceId, s, 3)).as("COMPLETE delivery").isIn("PENDING", "PROCESSING");
    }

    @Test
    void failedAttemptSupersededByNewer() {
        Endpoint s = endpoint("/s", request -> "PROCESSING".equals(request.state())
                ? new Reply(503, 800, null) : Reply.status(503));
        String invoiceId = push(SILENT_PHONE);
        await("a PROCESSING request at S", Duration.ofSeconds(15),
                () -> !receiver.requests(s.path(), "PROCESSING").isEmpty());

        // The success commits while S is still replying 503 to the PROCESSING request.
        postSuccess(invoices.find(invoiceId).orElseThrow());
        await("the PROCESSING attempt recorded", Duration.ofSeconds(10),
                () -> !"PROCESSING".equals(deliveryStatus(invoiceId, s, 2)));

        assertThat(deliveryStatus(invoiceId, s, 2)).as("failed PROCESSING delivery with a newer one queued")
                .isEqualTo("SUPERSEDED");
        assertThat(receiver.requests(s.path(), "PROCESSING")).as("PROCESSING requests at S").hasSize(1);
    }

    @Test
    void requestsSignedWithThreeHeaders() throws Exception {
        Endpoint e = endpoint("/e", request -> Reply.status(200));
        String previousSecret = WebhookSigner.newSecret();
        Endpoint rotated = endpoint("/rotated", request -> Reply.status(201));
        db.update("UPDATE webhook_endpoints SET previous_signing_secret = ?, previous_secret_expires_at = ? WHERE id = ?",
                previousSecret, clock.instant().plus(Duration.ofHours(1)), rotated.id());

        String invoiceId = push("0712300105");
        await("COMPLETE requests at both endpoints", Duration.ofSeconds(15),
                () -> !receiver.requests(e.path(), "COMPLETE").isEmpty()
                        && !receiver.requests(rotated.path(), "COMPLETE").isEmpty());

        Set<String> expectedFields = new TreeSet<>(InvoiceView.of(invoices.find(invoiceId).orElseThrow()).keySet());
        expectedFields.addAll(List.of("challenge", "event_id", "sequence"));
        for (WebhookReceiver.Request request : receiver.requests(e.path())) {
            String id = request.header("webhook-id");
            String timestamp = request.header("webhook-timestamp");
            String signature = request.header("webhook-signature");
            assertThat(id).as("webhook-id").isNotBlank();
            assertThat(timestamp).as("webhook-timestamp").matches("\\d+");
            assertThat(signature).as("webhook-signature").startsWith("v1,").doesNotContain(" ");
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(fieldNames(request)).as("body fields").isEqualTo(expectedFields);
            assertThat(request.json.path("invoice_id").asText()).isEqualTo(invoiceId);
            assertThat(request.json.path("challenge").asText()).isEqualTo(e.challenge());
            assertThat(request.json.path("event_id").asText()).isEqualTo(id);
            assertThat(request.json.path("sequence").isInt()).isTrue();
            // Other test classes move the app's clock forward, and the timestamp comes from that clock.
            assertThat(Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp))).isLessThan(60);

            long sentAt = Long.parseLong(timestamp);
            assertThat(verifies(e.secret(), id, timestamp, signature, request.body, sentAt)).as("signature").isTrue();
            byte[] changed = request.body.clone();
            changed[changed.length / 2] ^= 1;
            assertThat(verifies(e.secret(), id, timestamp, signature, changed, sentAt)).as("one byte changed").isFalse();
            assertThat(verifies(e.secret(), id, timestamp, signature, request.body, sentAt + TOLERANCE_SECONDS - 1))
                    .as("inside the tolerance").isTrue();
            assertThat(verifies(e.secret(), id, timestamp, signature, request.body, sentAt + TOLERANCE_SECONDS + 1))
                    .as("5 min after").isFalse();
            assertThat(verifies(e.secret(), id, timestamp, signature, request.body, sentAt - TOLERANCE_SECONDS - 1))
                    .as("5 min before").isFalse();
            assertThat(verifies(WebhookSigner.newSecret(), id, timestamp, signature, request.body, sentAt))
                    .as("another secret").isFalse();
        }

        WebhookReceiver.Request rotatedRequest = receiver.requests(rotated.path(), "COMPLETE").get(0);
        String[] signatures = rotatedRequest.header("webhook-signature").split(" ");
        String id = rotatedRequest.header("webhook-id");
        String timestamp = rotatedRequest.header("webhook-timestamp");
        long sentAt = Long.parseLong(timestamp);
        assertThat(signatures).as("current and previous secret").hasSize(2);
        assertThat(verifies(rotated.secret(), id, timestamp, signatures[0], rotatedRequest.body, sentAt)).isTrue();
        assertThat(verifies(previousSecret, id, timestamp, signatures[1], rotatedRequest.body, sentAt)).isTrue();
        assertThat(verifies(previousSecret, id, timestamp, signatures[0], rotatedRequest.body, sentAt)).isFalse();
        assertThat(verifies(rotated.secret(), id, timestamp, signatures[1], rotatedRequest.body, sentAt)).isFalse();
    }

    @Test
    void documentedVerifiersAcceptRealDelivery() throws Exception {
        Endpoint e = endpoint("/examples", request -> Reply.status(200));

        push("0712300106");
        await("a COMPLETE request", Duration.ofSeconds(15), () -> !receiver.requests(e.path(), "COMPLETE").isEmpty());

        WebhookReceiver.Request request = receiver.requests(e.path(), "COMPLETE").get(0);
        Path body = Files.createTempFile("webhook-body", ".json");
        Path changed = Files.createTempFile("webhook-body-changed", ".json");
        try {
            Files.write(body, request.body);
            byte[] tampered = request.body.clone();
            tampered[tampered.length / 2] ^= 1;
            Files.write(changed, tampered);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String javaExample = EXAMPLES.resolve("VerifyWebhook.java").toString();
            String nodeExample = EXAMPLES.resolve("verify-webhook.mjs").toString();
            // The examples check the timestamp against the app's clock, which other test classes move forward.
            String now = Long.toString(clock.instant().getEpochSecond());
            String late = Long.toString(Long.parseLong(request.header("webhook-timestamp")) + TOLERANCE_SECONDS + 1);

            assertRun(0, "valid", append(verifyCommand(List.of(java, javaExample), e, request, body), now));
            assertRun(1, "invalid", append(verifyCommand(List.of(java, javaExample), e, request, changed), now));
            assertRun(1, "invalid", append(verifyCommand(List.of(java, javaExample), e, request, body), late));
            assertRun(0, "valid", append(verifyCommand(List.of("node", nodeExample), e, request, body), now));
            assertRun(1, "invalid", append(verifyCommand(List.of("node", nodeExample), e, request, changed), now));
            assertRun(1, "invalid", append(verifyCommand(List.of("node", nodeExample), e, request, body), late));
            assertThat(NODE_DIR.resolve("node_modules/standardwebhooks")).as("run `npm ci` in " + NODE_DIR.toAbsolutePath())
                    .isDirectory();
            String library = NODE_DIR.resolve("verify-standardwebhooks.mjs").toString();
            assertRun(0, "valid", append(verifyCommand(List.of("node", library), e, request, body), now));
            assertRun(1, "invalid", append(verifyCommand(List.of("node", library), e, request, changed), now));
        } finally {
            Files.deleteIfExists(body);
            Files.deleteIfExists(changed);
        }
    }

    @Test
    void fortiethFailureDisablesEndpoint() {
        AtomicBoolean failing = new AtomicBoolean(true);
        Endpoint f = endpoint("/f", request -> failing.get() && "COMPLETE".equals(request.state())
                ? Reply.status(500) : Reply.status(200));

        String invoiceId = push(SILENT_PHONE);
        await("a PROCESSING request at F", Duration.ofSeconds(15),
                () -> !receiver.requests(f.path(), "PROCESSING").isEmpty());
        await("no open delivery to F", Duration.ofSeconds(5), () -> openDeliveries(f) == 0);
        db.update("UPDATE webhook_endpoints SET consecutive_failures = 39 WHERE id = ?", f.id());
        postSuccess(invoices.find(invoiceId).orElseThrow());
        await("F disabled", Duration.ofSeconds(10), () -> !isActive(f));

        List<WebhookReceiver.Request> failed = receiver.requests(f.path(), "COMPLETE");
        assertThat(failed).hasSize(1);
        String eventId = failed.get(0).header("webhook-id");
        assertThat(consecutiveFailures(f)).isEqualTo(40);
        assertThat(db.one("SELECT count(*) FROM attention_items WHERE subject_type = 'webhook_endpoint'"
                + " AND subject_id = ? AND kind = 'WEBHOOK_ENDPOINT_DISABLED' AND resolved_at IS NULL",
                row -> row.getInt(1), f.id()).orElseThrow()).isEqualTo(1);
        UUID delivery = completeDelivery(f, invoiceId);
        // Longer than one retry delay plus one poll interval: a disabled endpoint gets no retry.
        Api.sleep(2500);
        assertThat(receiver.requests(f.path(), "COMPLETE")).as("requests while disabled").hasSize(1);

        failing.set(false);
        db.update("UPDATE webhook_endpoints SET is_active = true, consecutive_failures = 0, disabled_at = NULL"
                + " WHERE id = ?", f.id());
        db.update("UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = now() WHERE id = ?", delivery);
        await("the COMPLETE delivery to F is DELIVERED", Duration.ofSeconds(10),
                () -> "DELIVERED".equals(deliveryStatus(delivery)));

        List<WebhookReceiver.Request> completes = receiver.requests(f.path(), "COMPLETE");
        assertThat(completes).hasSize(2);
        assertThat(completes.get(1).header("webhook-id")).as("the original webhook-id").isEqualTo(eventId);
        assertThat(completes.get(1).json.path("event_id").asText()).isEqualTo(eventId);
        assertThat(attemptStatusCodes(delivery)).containsExactly(500, 200);
    }

    @Test
    void tripleCallbackDeliversCompleteOnce() {
        Endpoint first = endpoint("/g1", request -> Reply.status(200));
        Endpoint second = endpoint("/g2", request -> Reply.status(200));

        String invoiceId = push(TRIPLE_CALLBACK_PHONE);
        Api.awaitState(merchant.testSecretKey(), invoiceId, "COMPLETE", Duration.ofSeconds(15));
        String token = invoices.find(invoiceId).orElseThrow().callbackToken();
        await("three callbacks stored", Duration.ofSeconds(10), () -> callbacks.countForToken(token) >= 3);
        await("COMPLETE requests at both endpoints", Duration.ofSeconds(10),
                () -> !receiver.requests(first.path(), "COMPLETE").isEmpty()
                        && !receiver.requests(second.path(), "COMPLETE").isEmpty());
        await("no open delivery", Duration.ofSeconds(5), () -> openDeliveries(first) + openDeliveries(second) == 0);

        assertThat(callbacks.countForToken(token)).isEqualTo(3);
        assertThat(db.one("SELECT count(*) FROM webhook_events WHERE invoice_id = ? AND payload->>'state' = 'COMPLETE'",
                row -> row.getInt(1), invoiceId).orElseThrow()).as("COMPLETE events").isEqualTo(1);
        for (Endpoint endpoint : List.of(first, second)) {
            assertThat(db.one("SELECT count(*) FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id"
                    + " WHERE d.endpoint_id = ? AND ev.payload->>'state' = 'COMPLETE'", row -> row.getInt(1),
                    endpoint.id()).orElseThrow()).as("COMPLETE deliveries to %s", endpoint.path()).isEqualTo(1);
            assertThat(receiver.requests(endpoint.path(), "COMPLETE")).as("COMPLETE requests at %s", endpoint.path())
                    .hasSize(1);
        }
    }

    /** Inserts an active TEST endpoint of the merchant whose URL is a receiver path. */
    private Endpoint endpoint(String path, WebhookReceiver.Responder responder) {
        String id = "whk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String secret = WebhookSigner.newSecret();
        String challenge = "challenge-" + id;
        Instant now = Instant.now();
        db.update("INSERT INTO webhook_endpoints (id, merchant_id, environment, url, challenge, signing_secret,"
                + " created_at, updated_at) VALUES (?, ?, 'TEST', ?, ?, ?, ?, ?)",
                id, merchant.merchantId(), receiver.url(path, responder), challenge, secret, now, now);
        return new Endpoint(id, path, secret, challenge);
    }

    private String push(String phone) {
        var pushed = Api.push(merchant.testSecretKey(), Map.of("phone_number", phone, "amount", "10"));
        assertThat(pushed.statusCode()).as(pushed.asString()).isEqualTo(200);
        return pushed.path("invoice.invoice_id");
    }

    /** Posts Daraja's success callback for a PROCESSING invoice, as the simulator would. */
    private static void postSuccess(Invoice invoice) {
        String body = "{\"Body\": {\"stkCallback\": {\"MerchantRequestID\": \"29115-34620561-1\","
                + " \"CheckoutRequestID\": \"" + invoice.checkoutRequestId() + "\", \"ResultCode\": 0,"
                + " \"ResultDesc\": \"The service request is processed successfully.\","
                + " \"CallbackMetadata\": {\"Item\": [{\"Name\": \"Amount\", \"Value\": 10.00},"
                + " {\"Name\": \"MpesaReceiptNumber\", \"Value\": \"" + Ids.receipt() + "\"},"
                + " {\"Name\": \"TransactionDate\", \"Value\": 20240302013000},"
                + " {\"Name\": \"PhoneNumber\", \"Value\": 254700200005}]}}}}";
        given().contentType("application/json").body(body).when().post("/daraja/callback/" + invoice.callbackToken())
                .then().statusCode(200);
    }

    /**
     * Checks a {@code webhook-signature} header as a merchant would: the timestamp within 5 minutes
     * of {@code nowSeconds}, and one {@code v1,} signature equal, in constant time, to the Base64
     * HMAC-SHA256 of {@code id.timestamp.body} keyed with the decoded part of the secret after {@code whsec_}.
     */
    static boolean verifies(String secret, String id, String timestamp, String header, byte[] body, long nowSeconds)
            throws Exception {
        if (Math.abs(nowSeconds - Long.parseLong(timestamp)) > TOLERANCE_SECONDS) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        for (String signature : header.split(" ")) {
            if (signature.startsWith("v1,")
                    && MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> verifyCommand(List<String> program, Endpoint endpoint, WebhookReceiver.Request request,
            Path body) {
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of(endpoint.secret(), request.header("webhook-id"), request.header("webhook-timestamp"),
                request.header("webhook-signature"), body.toAbsolutePath().toString()));
        return command;
    }

    private static List<String> append(List<String> command, String argument) {
        List<String> longer = new ArrayList<>(command);
        longer.add(argument);
        return longer;
    }

    private static void assertRun(int expectedExit, String expectedOutput, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String program = String.join(" ", command.subList(0, 2));
        assertThat(finished).as("%s timed out", program).isTrue();
        assertThat(process.exitValue()).as("exit code of %s; output: %s", program, output).isEqualTo(expectedExit);
        assertThat(output).as("output of %s", program).startsWith(expectedOutput);
    }

    private static Set<String> fieldNames(WebhookReceiver.Request request) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = request.json.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private UUID completeDelivery(Endpoint endpoint, String invoiceId) {
        return db.one("SELECT d.id FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id"
                + " WHERE d.endpoint_id = ? AND d.invoice_id = ? AND ev.payload->>'state' = 'COMPLETE'",
                row -> row.getObject(1, UUID.class), endpoint.id(), invoiceId).orElseThrow();
    }

    private String deliveryStatus(UUID delivery) {
        return db.one("SELECT status FROM webhook_deliveries WHERE id = ?", row -> row.getString(1), delivery)
                .orElseThrow();
    }

    private int deliveryAttempts(UUID delivery) {
        return db.one("SELECT attempts FROM webhook_deliveries WHERE id = ?", row -> row.getInt(1), delivery)
                .orElseThrow();
    }

    private List<Integer> attemptStatusCodes(UUID delivery) {
        return db.list("SELECT status_code FROM webhook_attempts WHERE delivery_id = ? ORDER BY id",
                row -> (Integer) row.getObject(1), delivery);
    }

    private List<String> attemptErrors(UUID delivery) {
        return db.list("SELECT error FROM webhook_attempts WHERE delivery_id = ? ORDER BY id",
                row -> row.getString(1), delivery);
    }

    private List<Map<String, Object>> attemptsOf(Endpoint endpoint) {
        return db.list("SELECT a.status_code, a.error, a.latency_ms FROM webhook_attempts a"
                + " JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = ? ORDER BY a.id",
                row -> {
                    Map<String, Object> attempt = new java.util.HashMap<>();
                    attempt.put("status_code", row.getObject(1));
                    attempt.put("error", row.getString(2));
                    attempt.put("latency_ms", row.getInt(3));
                    return attempt;
                }, endpoint.id());
    }

    private int consecutiveFailures(Endpoint endpoint) {
        return db.one("SELECT consecutive_failures FROM webhook_endpoints WHERE id = ?", row -> row.getInt(1),
                endpoint.id()).orElseThrow();
    }

    private boolean isActive(Endpoint endpoint) {
        return db.one("SELECT is_active FROM webhook_endpoints WHERE id = ?", row -> row.getBoolean(1), endpoint.id())
                .orElseThrow();
    }

    private String deliveryStatus(String invoiceId, Endpoint endpoint, int sequence) {
        return db.one("SELECT status FROM webhook_deliveries WHERE invoice_id = ? AND endpoint_id = ? AND sequence = ?",
                row -> row.getString(1), invoiceId, endpoint.id(), sequence).orElse(null);
    }

    private boolean hasDeliveryInFlight(String invoiceId, Endpoint endpoint) {
        return db.one("SELECT count(*) FROM webhook_deliveries WHERE invoice_id = ? AND endpoint_id = ?"
                + " AND status = 'PROCESSING'", row -> row.getInt(1), invoiceId, endpoint.id()).orElseThrow() > 0;
    }

    private int openDeliveries(Endpoint endpoint) {
        return db.one("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? AND status IN ('PENDING', 'PROCESSING')",
                row -> row.getInt(1), endpoint.id()).orElseThrow();
    }

    private static void await(String description, Duration within, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("timed out after %s waiting for %s", within, description).isBefore(deadline);
            Api.sleep(50);
        }
    }
}
