package co.malipo.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import co.malipo.api.WebhookReceiver.Reply;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import co.malipo.core.webhook.WebhookSigner;
import co.malipo.core.webhook.WebhookWorker;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Measures webhook delivery throughput against a receiver on 127.0.0.1 that replies 200 at once.
 * It asserts nothing about speed and is not named {@code *Test}, so the suite skips it; run it with
 * {@code -Dtest=WebhookThroughputMeasurement}. It prints its figures to standard output.
 */
@QuarkusTest
class WebhookThroughputMeasurement {

    static final int INVOICES = 200;
    static final int BACKLOG_ENDPOINTS = 5;

    @Inject
    TestMerchants testMerchants;
    @Inject
    WebhookWorker worker;
    @Inject
    Db db;

    @Test
    void measureDeliveryThroughput() throws Exception {
        NewMerchant merchant = testMerchants.create("Throughput Shop");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String live = endpoint(merchant, receiver.url("/live", request -> Reply.status(200)), true);

            // End to end: pushes through the simulator until every COMPLETE event reached the endpoint.
            Instant started = Instant.now();
            for (int i = 0; i < INVOICES; i++) {
                var pushed = Api.push(merchant.testSecretKey(),
                        Map.of("phone_number", String.format("07124%05d", i), "amount", "10"));
                assertThat(pushed.statusCode()).as(pushed.asString()).isEqualTo(200);
            }
            await(Duration.ofSeconds(120), () -> receiver.requests("/live", "COMPLETE").size() >= INVOICES);
            Duration endToEnd = Duration.between(started, Instant.now());
            int liveRequests = receiver.requests("/live").size();

            // Backlog: the latest event of every invoice queued at once for one endpoint, then for five.
            Duration oneEndpoint = drain(merchant, List.of(endpoint(merchant, receiver.url("/one", r -> Reply.status(200)),
                    false)));
            List<String> several = new ArrayList<>();
            for (int i = 0; i < BACKLOG_ENDPOINTS; i++) {
                several.add(endpoint(merchant, receiver.url("/many" + i, r -> Reply.status(200)), false));
            }
            Duration fiveEndpoints = drain(merchant, several);

            System.out.printf("webhook throughput: %d invoices, %d requests to one endpoint, all COMPLETE events"
                    + " delivered %d ms after the first push%n", INVOICES, liveRequests, endToEnd.toMillis());
            System.out.printf("webhook throughput: backlog of %d deliveries to 1 endpoint drained in %d ms (%.0f/s)%n",
                    INVOICES, oneEndpoint.toMillis(), INVOICES * 1000.0 / oneEndpoint.toMillis());
            int total = INVOICES * BACKLOG_ENDPOINTS;
            System.out.printf("webhook throughput: backlog of %d deliveries to %d endpoints drained in %d ms (%.0f/s)%n",
                    total, BACKLOG_ENDPOINTS, fiveEndpoints.toMillis(), total * 1000.0 / fiveEndpoints.toMillis());
            assertThat(live).isNotNull();
        } finally {
            db.update("UPDATE webhook_endpoints SET deleted_at = now() WHERE merchant_id = ?", merchant.merchantId());
        }
    }

    /** Queues the latest event of each of the merchant's invoices for each endpoint and times the drain. */
    private Duration drain(NewMerchant merchant, List<String> endpointIds) {
        int expected = 0;
        for (String endpointId : endpointIds) {
            db.update("UPDATE webhook_endpoints SET is_active = true WHERE id = ?", endpointId);
            expected += db.update("""
                    INSERT INTO webhook_deliveries (id, event_id, endpoint_id, invoice_id, sequence, status,
                        next_attempt_at, created_at, updated_at)
                    SELECT gen_random_uuid(), ev.id, ?, ev.invoice_id, ev.sequence, 'PENDING', now(), now(), now()
                    FROM webhook_events ev
                    WHERE ev.merchant_id = ? AND ev.sequence = (
                        SELECT max(latest.sequence) FROM webhook_events latest WHERE latest.invoice_id = ev.invoice_id)
                    """, endpointId, merchant.merchantId());
        }
        int total = expected;
        Instant started = Instant.now();
        worker.wake();
        await(Duration.ofSeconds(120), () -> delivered(endpointIds) >= total);
        return Duration.between(started, Instant.now());
    }

    private int delivered(List<String> endpointIds) {
        int count = 0;
        for (String endpointId : endpointIds) {
            count += db.one("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'DELIVERED'",
                    row -> row.getInt(1), endpointId).orElseThrow();
        }
        return count;
    }

    /** Inserts a TEST endpoint; an inactive one gets no deliveries from the pushes. */
    private String endpoint(NewMerchant merchant, String url, boolean active) {
        String id = "whk_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Instant now = Instant.now();
        db.update("INSERT INTO webhook_endpoints (id, merchant_id, environment, url, challenge, signing_secret,"
                + " is_active, created_at, updated_at) VALUES (?, ?, 'TEST', ?, ?, ?, ?, ?, ?)",
                id, merchant.merchantId(), url, "challenge-" + id, WebhookSigner.newSecret(), active, now, now);
        return id;
    }

    private static void await(Duration within, java.util.function.BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("timed out after %s", within).isBefore(deadline);
            Api.sleep(20);
        }
    }
}
