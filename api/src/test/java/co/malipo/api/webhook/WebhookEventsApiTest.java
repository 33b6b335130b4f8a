package co.malipo.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import co.malipo.api.Api;
import co.malipo.api.TestMerchants;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The delivery log and replays. Deliveries go to port 9 on loopback, which refuses connections,
 * so every attempt fails without waiting for a timeout.
 */
@QuarkusTest
class WebhookEventsApiTest {

    private static final String CLOSED_URL = "http://127.0.0.1:9/closed";

    @Inject
    TestMerchants testMerchants;
    @Inject
    Db db;

    NewMerchant merchant;
    NewMerchant other;

    @BeforeEach
    void createMerchants() {
        merchant = testMerchants.create("Webhook Events Shop");
        other = testMerchants.create("Other Events Shop");
    }

    @Test
    void logPaginatesNewestFirst() {
        String endpointId = Webhooks.create(merchant.testSecretKey(),
                Map.of("endpoint", CLOSED_URL, "collection_event", false)).path("id");
        String invoiceId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000801", "amount", "10"))
                .path("invoice.invoice_id");
        insertDeliveries(invoiceId, endpointId, 55);

        Response first = Webhooks.as(merchant.testSecretKey()).when().get(Webhooks.EVENTS);
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        assertThat(first.<Integer>path("count")).isEqualTo(55);
        assertThat(first.<List<Object>>path("results")).hasSize(50);
        assertThat(first.<String>path("previous")).isNull();
        assertThat(first.<String>path("next")).startsWith("http://").endsWith("page=2");
        assertThat(first.<String>path("results[0].payload")).isEqualTo("{\"n\": 55}");
        assertThat(first.<String>path("results[1].payload")).isEqualTo("{\"n\": 54}");
        assertThat(first.<String>path("results[0].webhook.id")).isEqualTo(endpointId);
        assertThat(first.<String>path("results[0].topic")).isEqualTo("collection_event");
        assertThat(first.<String>path("results[0].id")).matches("[0-9a-f-]{36}");
        assertThat(first.<String>path("results[0].event_id")).matches("[0-9a-f-]{36}");
        assertThat(first.<Integer>path("results[0].attempts")).isEqualTo(1);
        assertThat(first.<String>path("results[0].created_at")).isNotNull();
        assertThat(first.<String>path("results[0].updated_at")).isNotNull();
        assertThat(first.asString()).doesNotContain("signing_secret").doesNotContain("whsec_");

        Response second = Webhooks.as(merchant.testSecretKey()).when().get(first.<String>path("next"));
        assertThat(second.<List<Object>>path("results")).hasSize(5);
        assertThat(second.<String>path("next")).isNull();
        assertThat(second.<String>path("previous")).startsWith("http://").doesNotContain("page=");
        assertThat(second.<String>path("results[4].payload")).isEqualTo("{\"n\": 1}");

        Response beyond = Webhooks.as(merchant.testSecretKey()).when().get(Webhooks.EVENTS + "?page=3");
        assertThat(beyond.statusCode()).as(beyond.asString()).isEqualTo(404);
        Response notNumber = Webhooks.as(merchant.testSecretKey()).when().get(Webhooks.EVENTS + "?page=abc");
        assertThat(notNumber.statusCode()).as(notNumber.asString()).isEqualTo(404);
        assertThat(notNumber.<String>path("detail")).contains("Invalid page");

        Response others = Webhooks.as(other.testSecretKey()).when().get(Webhooks.EVENTS);
        assertThat(others.<Integer>path("count")).isZero();
        Response live = Webhooks.as(merchant.liveSecretKey()).when().get(Webhooks.EVENTS);
        assertThat(live.<Integer>path("count")).isZero();
    }

    @Test
    void statusFilter() {
        String endpointId = Webhooks.create(merchant.testSecretKey(),
                Map.of("endpoint", CLOSED_URL, "collection_event", false)).path("id");
        String invoiceId = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000802", "amount", "10"))
                .path("invoice.invoice_id");
        insertDeliveries(invoiceId, endpointId, 55);

        Response failed = Webhooks.as(merchant.testSecretKey()).queryParam("status", "FAILED").when().get(Webhooks.EVENTS);
        assertThat(failed.statusCode()).as(failed.asString()).isEqualTo(200);
        assertThat(failed.<Integer>path("count")).isEqualTo(27);
        assertThat(failed.<List<String>>path("results.status")).containsOnly("FAILED");
        assertThat(failed.<List<String>>path("results.failure_reason")).containsOnly("HTTP 500");
        assertThat(failed.<String>path("next")).isNull();

        Response delivered = Webhooks.as(merchant.testSecretKey()).queryParam("status", "delivered").when()
                .get(Webhooks.EVENTS);
        assertThat(delivered.<Integer>path("count")).isEqualTo(28);
        assertThat(delivered.<List<String>>path("results.failure_reason")).containsOnlyNulls();

        Response superseded = Webhooks.as(merchant.testSecretKey()).queryParam("status", "SUPERSEDED").when()
                .get(Webhooks.EVENTS);
        assertThat(superseded.<Integer>path("count")).isZero();

        Response invalid = Webhooks.as(merchant.testSecretKey()).queryParam("status", "LOST").when().get(Webhooks.EVENTS);
        assertThat(invalid.statusCode()).as(invalid.asString()).isEqualTo(400);
        assertThat(invalid.<String>path("status[0]")).contains("PENDING");
    }

    @Test
    void replayResetsFailedDelivery() {
        String endpointId = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", CLOSED_URL)).path("id");
        Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000803", "amount", "10"));
        UUID deliveryId = awaitFailedAttempt(endpointId);
        Map<String, Object> before = delivery(deliveryId);
        int updated = db.update("UPDATE webhook_deliveries SET status = 'FAILED', attempts = 6, failure_reason = 'gave up'"
                + " WHERE id = ? AND status = 'PENDING'", deliveryId);
        assertThat(updated).as("delivery waiting for its next retry").isEqualTo(1);

        Response listed = Webhooks.as(merchant.testSecretKey()).queryParam("status", "FAILED").when().get(Webhooks.EVENTS);
        assertThat(listed.<List<String>>path("results.id")).contains(deliveryId.toString());
        assertThat(listed.<String>path("results[0].failure_reason")).isEqualTo("gave up");
        int attemptsBefore = attemptCount(deliveryId);

        Response replayed = Webhooks.replay(merchant.testSecretKey(), deliveryId.toString());

        assertThat(replayed.statusCode()).as(replayed.asString()).isEqualTo(200);
        assertThat(replayed.<String>path("id")).isEqualTo(deliveryId.toString());
        assertThat(replayed.<String>path("event_id")).isEqualTo(before.get("event_id"));
        assertThat(replayed.<String>path("payload")).isEqualTo(before.get("payload"));
        assertThat(replayed.<String>path("status")).isEqualTo("PENDING");
        assertThat(replayed.<Integer>path("attempts")).isZero();
        assertThat(replayed.<String>path("failure_reason")).isNull();
        assertThat(replayed.<String>path("webhook.id")).isEqualTo(endpointId);
        assertThat(awaitAttempts(deliveryId, attemptsBefore + 1, Duration.ofSeconds(10)))
                .as("the woken worker sent the delivery again").isGreaterThan(attemptsBefore);
        assertThat(delivery(deliveryId).get("event_id")).isEqualTo(before.get("event_id"));
    }

    @Test
    void replayByEventId() {
        String endpointId = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", CLOSED_URL)).path("id");
        Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000804", "amount", "10"));
        UUID deliveryId = awaitFailedAttempt(endpointId);
        String eventId = (String) delivery(deliveryId).get("event_id");

        Response replayed = Webhooks.replay(merchant.testSecretKey(), eventId);

        assertThat(replayed.statusCode()).as(replayed.asString()).isEqualTo(200);
        assertThat(replayed.<String>path("id")).isEqualTo(deliveryId.toString());
        assertThat(replayed.<String>path("event_id")).isEqualTo(eventId);
    }

    @Test
    void replayToDisabledEndpointConflicts() {
        String endpointId = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", CLOSED_URL)).path("id");
        Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000805", "amount", "10"));
        UUID deliveryId = awaitFailedAttempt(endpointId);
        assertThat(Webhooks.patch(merchant.testSecretKey(), endpointId, Map.of("is_active", false)).statusCode())
                .isEqualTo(200);

        Response conflict = Webhooks.replay(merchant.testSecretKey(), deliveryId.toString());

        assertThat(conflict.statusCode()).as(conflict.asString()).isEqualTo(409);
        assertThat(conflict.<String>path("detail")).contains("Re-enable").contains(endpointId);

        assertThat(Webhooks.patch(merchant.testSecretKey(), endpointId, Map.of("is_active", true)).statusCode())
                .isEqualTo(200);
        Response replayed = Webhooks.replay(merchant.testSecretKey(), deliveryId.toString());
        assertThat(replayed.statusCode()).as(replayed.asString()).isEqualTo(200);
    }

    @Test
    void otherMerchantCannotReplay() {
        String endpointId = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", CLOSED_URL)).path("id");
        Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000806", "amount", "10"));
        UUID deliveryId = awaitFailedAttempt(endpointId);
        String eventId = (String) delivery(deliveryId).get("event_id");

        for (String id : List.of(deliveryId.toString(), eventId)) {
            Response response = Webhooks.replay(other.testSecretKey(), id);
            assertThat(response.statusCode()).as(response.asString()).isEqualTo(404);
        }
        assertThat(Webhooks.replay(merchant.liveSecretKey(), deliveryId.toString()).statusCode()).isEqualTo(404);
    }

    @Test
    void deletedEndpointLeavesLog() {
        String endpointId = Webhooks.create(merchant.testSecretKey(), Map.of("endpoint", CLOSED_URL)).path("id");
        Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000807", "amount", "10"));
        UUID deliveryId = awaitFailedAttempt(endpointId);

        assertThat(Webhooks.delete(merchant.testSecretKey(), endpointId).statusCode()).isEqualTo(200);

        assertThat(Webhooks.as(merchant.testSecretKey()).when().get(Webhooks.EVENTS).<Integer>path("count")).isZero();
        assertThat(Webhooks.replay(merchant.testSecretKey(), deliveryId.toString()).statusCode()).isEqualTo(404);
    }

    /** Inserts {@code count} events for the invoice, a minute apart, each with a delivery. Even ones are FAILED. */
    private void insertDeliveries(String invoiceId, String endpointId, int count) {
        db.update("""
                WITH ev AS (
                    INSERT INTO webhook_events (id, merchant_id, environment, invoice_id, sequence, topic, payload, created_at)
                    SELECT gen_random_uuid(), ?, 'TEST', ?, 1000 + g, 'collection_event', jsonb_build_object('n', g),
                        now() - interval '1 minute' * (100 - g)
                    FROM generate_series(1, ?) g
                    RETURNING id, sequence, created_at)
                INSERT INTO webhook_deliveries (id, event_id, endpoint_id, invoice_id, sequence, status, attempts,
                    next_attempt_at, failure_reason, created_at, updated_at)
                SELECT gen_random_uuid(), ev.id, ?, ?, ev.sequence,
                    CASE WHEN ev.sequence % 2 = 0 THEN 'FAILED' ELSE 'DELIVERED' END, 1, ev.created_at,
                    CASE WHEN ev.sequence % 2 = 0 THEN 'HTTP 500' END, ev.created_at, ev.created_at
                FROM ev
                """, merchant.merchantId(), invoiceId, count, endpointId, invoiceId);
    }

    /** Waits for a delivery to the endpoint whose first attempt failed and whose retry is minutes away. */
    private UUID awaitFailedAttempt(String endpointId) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            Optional<UUID> found = db.one("""
                    SELECT id FROM webhook_deliveries
                    WHERE endpoint_id = ? AND status = 'PENDING' AND attempts >= 1 AND failure_reason IS NOT NULL
                    ORDER BY sequence DESC LIMIT 1
                    """, row -> row.getObject(1, UUID.class), endpointId);
            if (found.isPresent()) {
                return found.get();
            }
            Api.sleep(200);
        }
        throw new AssertionError("no failed delivery attempt to " + endpointId + " within 20 s");
    }

    private Map<String, Object> delivery(UUID deliveryId) {
        return db.one("SELECT d.event_id::text, ev.payload::text FROM webhook_deliveries d"
                + " JOIN webhook_events ev ON ev.id = d.event_id WHERE d.id = ?",
                row -> Map.<String, Object>of("event_id", row.getString(1), "payload", row.getString(2)), deliveryId)
                .orElseThrow();
    }

    private int attemptCount(UUID deliveryId) {
        return db.one("SELECT count(*) FROM webhook_attempts WHERE delivery_id = ?", row -> row.getInt(1), deliveryId)
                .orElse(0);
    }

    private int awaitAttempts(UUID deliveryId, int expected, Duration within) {
        Instant deadline = Instant.now().plus(within);
        int attempts = attemptCount(deliveryId);
        while (attempts < expected && Instant.now().isBefore(deadline)) {
            Api.sleep(200);
            attempts = attemptCount(deliveryId);
        }
        return attempts;
    }
}
