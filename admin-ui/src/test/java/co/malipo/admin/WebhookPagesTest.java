package co.malipo.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import co.malipo.admin.auth.Role;
import co.malipo.admin.auth.UserService;
import co.malipo.core.invoice.Channel;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import co.malipo.core.webhook.WebhookEndpointService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class WebhookPagesTest {

    private static final Pattern DELIVERY_BOX = Pattern.compile("name=\"delivery\" value=\"([0-9a-f-]{36})\"");

    @Inject
    UserService users;
    @Inject
    TestInvoices data;
    @Inject
    WebhookEndpointService endpoints;
    @Inject
    Db db;

    /** A merchant's endpoint on 127.0.0.1 that replies with {@link #status} and records each event id it receives. */
    private HttpServer receiver;
    private final AtomicInteger status = new AtomicInteger(500);
    private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("webhook-id"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void bulkReplayReachesLocalReceiver() {
        NewMerchant merchant = data.merchant("Replay Receiver Shop");
        String endpointId = createEndpoint(merchant.merchantId(), "http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/hook");
        data.parked(merchant.merchantId(), Channel.API, "254744100001", "replay-1", 150);
        data.parked(merchant.merchantId(), Channel.API, "254744100002", "replay-2", 160);
        waitFor(() -> countDeliveries(endpointId, "FAILED") == 2, "both deliveries fail after their retries");
        Map<UUID, UUID> eventOfDelivery = new java.util.HashMap<>();
        db.list("SELECT id, event_id FROM webhook_deliveries WHERE endpoint_id = ?",
                row -> eventOfDelivery.put(row.getObject(1, UUID.class), row.getObject(2, UUID.class)), endpointId);
        int attemptsBefore = countAttempts(endpointId);
        received.clear();
        status.set(200);

        String finance = TestUsers.create(users, Role.FINANCE, "replay");
        StaffSession session = StaffSession.signIn(finance, TestUsers.PASSWORD);
        String page = session.get("/webhooks?merchant=" + merchant.merchantId()).asString();
        List<String> listed = boxes(page);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(eventOfDelivery.keySet().stream()
                .map(UUID::toString).toList());

        Response replay = session.postRepeated("/webhooks/replay", Map.of("delivery", listed, "merchant",
                List.of(merchant.merchantId())));
        assertThat(replay.statusCode()).isEqualTo(303);
        assertThat(replay.header("Location")).contains("replayed=2").contains("skipped=0");
        assertThat(session.get(replay.header("Location")).asString()).contains("2 deliveries queued again");

        waitFor(() -> countDeliveries(endpointId, "DELIVERED") == 2, "both replayed deliveries arrive");
        Set<String> expectedEvents = new HashSet<>();
        eventOfDelivery.values().forEach(event -> expectedEvents.add(event.toString()));
        assertThat(new HashSet<>(received)).isEqualTo(expectedEvents);
        assertThat(countAttempts(endpointId)).isEqualTo(attemptsBefore + 2);
        assertThat(db.one("SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id"
                + " WHERE d.endpoint_id = ? AND a.status_code = 200", row -> row.getInt(1), endpointId)).contains(2);

        for (UUID delivery : eventOfDelivery.keySet()) {
            List<String> audit = db.list("SELECT before_state::text FROM audit_log WHERE action = 'WEBHOOK_REPLAYED'"
                    + " AND subject_id = ? AND actor = ?", row -> row.getString(1), delivery.toString(), finance);
            assertThat(audit).hasSize(1);
            assertThat(audit.get(0)).contains("\"status\": \"FAILED\"");
        }
        assertThat(session.get("/webhooks?merchant=" + merchant.merchantId()).asString())
                .contains("No failed deliveries match.");
    }

    @Test
    void supportCannotReplay() {
        NewMerchant merchant = data.merchant("Support Watch Shop");
        String endpointId = createEndpoint(merchant.merchantId(), "http://127.0.0.1:9/hook");
        List<UUID> deliveries = failedDeliveries(merchant.merchantId(), endpointId, 1, Instant.now());

        StaffSession support = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "replay"),
                TestUsers.PASSWORD);
        String page = support.get("/webhooks?merchant=" + merchant.merchantId()).asString();
        assertThat(page).contains(endpointId);
        assertThat(boxes(page)).isEmpty();
        Response response = support.postRepeated("/webhooks/replay", Map.of("delivery",
                List.of(deliveries.get(0).toString())));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(status(deliveries.get(0))).isEqualTo("FAILED");
    }

    @Test
    void replaySkipsDisabledEndpoint() {
        NewMerchant merchant = data.merchant("Skipped Replay Shop");
        String endpointId = createEndpoint(merchant.merchantId(), "http://127.0.0.1:9/hook");
        List<UUID> deliveries = failedDeliveries(merchant.merchantId(), endpointId, 1, Instant.now());
        QuarkusTransaction.requiringNew().run(() -> db.update("UPDATE webhook_endpoints SET is_active = false,"
                + " disabled_at = now() WHERE id = ?", endpointId));
        String finance = TestUsers.create(users, Role.FINANCE, "replayskip");
        StaffSession session = StaffSession.signIn(finance, TestUsers.PASSWORD);
        String page = session.get("/webhooks?endpoint=" + endpointId).asString();
        assertThat(page).contains("(disabled)");

        Response replay = session.postRepeated("/webhooks/replay", Map.of("delivery",
                List.of(deliveries.get(0).toString())));
        assertThat(replay.statusCode()).isEqualTo(303);
        assertThat(replay.header("Location")).contains("replayed=0").contains("skipped=1");
        assertThat(session.get(replay.header("Location")).asString()).contains("1 skipped because");
        assertThat(status(deliveries.get(0))).isEqualTo("FAILED");
        assertThat(db.one("SELECT count(*) FROM audit_log WHERE action = 'WEBHOOK_REPLAYED' AND actor = ?",
                row -> row.getInt(1), finance)).contains(0);
    }

    @Test
    void replayWithoutCsrfTokenIsRejected() {
        NewMerchant merchant = data.merchant("Csrf Replay Shop");
        String endpointId = createEndpoint(merchant.merchantId(), "http://127.0.0.1:9/hook");
        List<UUID> deliveries = failedDeliveries(merchant.merchantId(), endpointId, 1, Instant.now());
        StaffSession finance = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "replaycsrf"),
                TestUsers.PASSWORD);
        finance.get("/webhooks");
        Response response = finance.postWithoutToken("/webhooks/replay", Map.of("delivery",
                deliveries.get(0).toString()));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(status(deliveries.get(0))).isEqualTo("FAILED");
    }

    @Test
    void replayRejectsEmptyAndInvalidSelection() {
        StaffSession finance = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "replayinvalid"),
                TestUsers.PASSWORD);
        finance.get("/webhooks");
        Response none = finance.postRepeated("/webhooks/replay", Map.of());
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.asString()).contains("no delivery is selected");
        Response invalid = finance.postRepeated("/webhooks/replay", Map.of("delivery", List.of("not-a-uuid")));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.asString()).contains("not-a-uuid is not a delivery id");
    }

    @Test
    void keysetPagesCoverEveryFailureOnce() {
        NewMerchant merchant = data.merchant("Many Failures Shop");
        String endpointId = createEndpoint(merchant.merchantId(), "http://127.0.0.1:9/hook");
        List<UUID> expected = failedDeliveries(merchant.merchantId(), endpointId, 55,
                Instant.parse("2026-03-10T08:00:00Z"));
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "failedpages"),
                TestUsers.PASSWORD);

        List<String> seen = new ArrayList<>();
        String path = "/webhooks?merchant=" + merchant.merchantId();
        int pages = 0;
        while (path != null) {
            Response page = session.get(path);
            assertThat(page.statusCode()).isEqualTo(200);
            String html = page.asString();
            Matcher rows = Pattern.compile("/invoices/([0-9A-Z]{10})\"").matcher(html);
            while (rows.find()) {
                seen.add(rows.group(1));
            }
            Matcher next = Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"").matcher(html);
            path = next.find() ? next.group(1).replace("&amp;", "&") : null;
            pages++;
        }
        assertThat(pages).isEqualTo(2);
        assertThat(seen).hasSize(55).doesNotHaveDuplicates();
        List<String> newestFirst = db.list("SELECT invoice_id FROM webhook_deliveries WHERE endpoint_id = ?"
                + " ORDER BY updated_at DESC, id DESC", row -> row.getString(1), endpointId);
        assertThat(seen).isEqualTo(newestFirst);
        assertThat(expected).hasSize(55);

        Response filtered = session.get("/webhooks?endpoint=" + endpointId);
        assertThat(filtered.asString()).contains(endpointId);
        assertThat(session.get("/webhooks?after=garbage").statusCode()).isEqualTo(400);
    }

    @Test
    void financeReEnablesDisabledEndpoint() {
        NewMerchant merchant = data.merchant("Disabled Hook Shop");
        String endpointId = createEndpoint(merchant.merchantId(), "http://127.0.0.1:9/hook");
        QuarkusTransaction.requiringNew().run(() -> db.update("UPDATE webhook_endpoints SET is_active = false,"
                + " consecutive_failures = 40, disabled_at = now() WHERE id = ?", endpointId));

        StaffSession support = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "health"),
                TestUsers.PASSWORD);
        String health = support.get("/webhooks/endpoints").asString();
        assertThat(health).contains(endpointId).contains("Disabled Hook Shop");
        assertThat(health).doesNotContain("/webhooks/endpoints/" + endpointId + "/enable");
        assertThat(support.post("/webhooks/endpoints/" + endpointId + "/enable", Map.of()).statusCode())
                .isEqualTo(403);

        String finance = TestUsers.create(users, Role.FINANCE, "health");
        StaffSession session = StaffSession.signIn(finance, TestUsers.PASSWORD);
        assertThat(session.get("/webhooks/endpoints").asString())
                .contains("/webhooks/endpoints/" + endpointId + "/enable");
        session.post("/webhooks/endpoints/" + endpointId + "/enable", Map.of()).then().statusCode(303);
        assertThat(db.one("SELECT is_active AND consecutive_failures = 0 FROM webhook_endpoints WHERE id = ?",
                row -> row.getBoolean(1), endpointId)).contains(true);
        String before = db.one("SELECT before_state::text FROM audit_log WHERE action = 'WEBHOOK_ENDPOINT_ENABLED'"
                + " AND subject_id = ? AND actor = ?", row -> row.getString(1), endpointId, finance).orElseThrow();
        assertThat(before).contains("\"is_active\": false").contains("\"consecutive_failures\": 40");
        assertThat(session.get("/webhooks/endpoints").asString()).doesNotContain(endpointId);
    }

    private String createEndpoint(String merchantId, String url) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("endpoint", url);
        return endpoints.create(merchantId, Environment.TEST, request).endpoint().id();
    }

    /**
     * Creates {@code count} parked invoices before the endpoint takes deliveries and stores a FAILED
     * delivery of each one's event to the endpoint, as test data that the worker never claims.
     * Every two deliveries share a failure time, one minute apart from the next pair, so the pages
     * must order ties by id.
     */
    private List<UUID> failedDeliveries(String merchantId, String endpointId, int count, Instant newest) {
        QuarkusTransaction.requiringNew().run(() -> db.update("UPDATE webhook_endpoints SET collection_event = false"
                + " WHERE id = ?", endpointId));
        for (int i = 0; i < count; i++) {
            data.parked(merchantId, Channel.API, String.format("2547442%05d", i), "failed-" + i, 100 + i);
        }
        QuarkusTransaction.requiringNew().run(() -> db.update("UPDATE webhook_endpoints SET collection_event = true"
                + " WHERE id = ?", endpointId));
        return QuarkusTransaction.requiringNew().call(() -> db.list("""
                INSERT INTO webhook_deliveries (id, event_id, endpoint_id, invoice_id, sequence, status, attempts,
                    next_attempt_at, failure_reason, created_at, updated_at)
                SELECT gen_random_uuid(), ev.id, ?, ev.invoice_id, ev.sequence, 'FAILED', 6, ev.created_at,
                    'HTTP 500', ev.created_at,
                    ?::timestamptz - ((row_number() OVER (ORDER BY ev.created_at, ev.id) - 1) / 2) * interval '1 minute'
                FROM webhook_events ev WHERE ev.merchant_id = ?
                RETURNING id
                """, row -> row.getObject(1, UUID.class), endpointId, newest, merchantId));
    }

    private static List<String> boxes(String html) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = DELIVERY_BOX.matcher(html);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private int countDeliveries(String endpointId, String state) {
        return db.one("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? AND status = ?",
                row -> row.getInt(1), endpointId, state).orElse(0);
    }

    private int countAttempts(String endpointId) {
        return db.one("SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id"
                + " WHERE d.endpoint_id = ?", row -> row.getInt(1), endpointId).orElse(0);
    }

    private String status(UUID delivery) {
        return db.one("SELECT status FROM webhook_deliveries WHERE id = ?", row -> row.getString(1), delivery)
                .orElseThrow();
    }

    /** Polls the database until the condition holds, failing after 30 seconds. */
    private static void waitFor(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }
}
