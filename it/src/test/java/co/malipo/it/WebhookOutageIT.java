package co.malipo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A merchant with two webhook endpoints, one of which returns 500 for an hour of simulated time and then recovers. The
 * api app runs the default retry schedule (1 min, 5 min, 20 min, 1 h, 4 h). The test plays the clock: it moves the
 * due time of the failing endpoint's pending deliveries back in 10-minute steps, waiting after each step until the
 * worker has tried every due delivery. An endpoint that the gateway disables meanwhile is enabled again through the
 * merchant API once the receiver is back, as its merchant would. In the end both endpoints must have received every
 * invoice's final state, never an older state after a newer one, and every invariant must hold.
 */
class WebhookOutageIT {

    private static final Duration STEP = Duration.ofMinutes(10);

    private ApiProcess app;
    private DarajaSimulatorHost daraja;
    private WebhookReceiver failing;
    private WebhookReceiver healthy;

    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (app != null) {
                System.err.println("---- last 60 lines of " + app.log() + " ----");
                System.err.println(app.logTail(60));
            }
        }
    };

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {daraja, failing, healthy}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.err.println("closing " + closeable + " failed: " + e);
            }
        }
    }

    @Test
    void endpointRecoversAfterHourOutage() throws Exception {
        int invoices = FaultRig.LONG ? 60 : 8;
        Duration outage = FaultRig.LONG ? Duration.ofHours(4) : Duration.ofHours(1);
        FaultRig.Database db = FaultRig.Database.fromEnvironment();
        daraja = DarajaSimulatorHost.start(Duration.ofSeconds(1), Duration.ofSeconds(3));
        int port = ApiProcess.freePorts(1).get(0);
        app = ApiProcess.start("api-webhook-outage", FaultRig.apiJar(), port, FaultRig.appEnvironment(db, port,
                daraja.baseUrl(), Map.of("MALIPO_WEBHOOKS_RETRY_DELAYS", "1m,5m,20m,1h,4h")), FaultRig.logDir());
        app.awaitReady(FaultRig.HTTP, FaultRig.READY_TIMEOUT);
        FaultRig.Merchant merchant = FaultRig.createMerchant(db, "HOOKS");
        failing = WebhookReceiver.start();
        healthy = WebhookReceiver.start();
        failing.failing(true);
        String failingId = FaultRig.createWebhookEndpoint(app, merchant, failing.url());
        FaultRig.createWebhookEndpoint(app, merchant, healthy.url());

        FaultRig.LoadResult load = FaultRig.runLoad(() -> List.of(app), merchant, invoices, 4, Duration.ofSeconds(2),
                FaultRig.Retry.NEVER, Duration.ZERO);
        assertThat(load.invoiceIds()).hasSize(invoices);
        awaitAllFinal(db, merchant);

        Duration simulated = Duration.ZERO;
        boolean disabled = false;
        boolean reenabled = false;
        int steps = 0;
        while (true) {
            awaitDueTried(db, failingId);
            if (simulated.compareTo(outage) >= 0 && failing.isFailing()) {
                failing.failing(false);
            }
            if (!failing.isFailing() && !isActive(db, failingId)) {
                disabled = true;
                assertThat(openAttention(db, failingId)).as("attention item of the disabled endpoint").isEqualTo(1);
                enable(merchant, failingId);
                reenabled = true;
                continue;
            }
            if (!failing.isFailing() && pendingDeliveries(db, failingId) == 0) {
                break;
            }
            if (steps > (outage.toMinutes() + 6 * 60) / STEP.toMinutes()) {
                fail("deliveries to the recovered endpoint still pending after %s of simulated time", simulated);
            }
            shiftPendingDeliveries(db, failingId, STEP);
            simulated = simulated.plus(STEP);
            steps++;
        }

        Map<String, String> finalStates = finalStates(db, merchant);
        assertReceivedFinalStates(healthy, finalStates, "healthy endpoint");
        assertReceivedFinalStates(failing, finalStates, "endpoint that recovered");
        int checks = FaultRig.assertInvariantsHold(db, merchant, Duration.ofSeconds(60));

        long refused = failing.received().stream().filter(received -> received.answeredStatus() == 500).count();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("invoices", invoices);
        report.put("simulated outage", outage);
        report.put("simulated time until every delivery was made", simulated);
        report.put("delivery attempts answered 500 during the outage", refused);
        report.put("deliveries accepted by the recovered endpoint", failing.received().size() - refused);
        report.put("deliveries accepted by the healthy endpoint", healthy.received().size());
        report.put("endpoint disabled and enabled again", disabled + " / " + reenabled);
        report.putAll(FaultRig.invoiceFigures(db, merchant));
        report.put("invariant checks until all held", checks);
        FaultRig.report("WebhookOutageIT", report);
    }

    /**
     * Checks that the receiver accepted each invoice's final state, that it never accepted an older state after a
     * newer one, and that it accepted no event twice.
     */
    private static void assertReceivedFinalStates(WebhookReceiver receiver, Map<String, String> finalStates, String label) {
        Map<String, Integer> lastSequence = new HashMap<>();
        Map<String, String> lastState = new HashMap<>();
        Set<String> accepted = new HashSet<>();
        for (WebhookReceiver.Received received : receiver.received()) {
            if (received.answeredStatus() != 200) {
                continue;
            }
            assertThat(accepted.add(received.eventId())).as("%s accepted event %s once", label, received.eventId())
                    .isTrue();
            Integer previous = lastSequence.get(received.invoiceId());
            assertThat(previous == null || previous < received.sequence())
                    .as("%s got sequence %d of invoice %s after sequence %s", label, received.sequence(),
                            received.invoiceId(), previous)
                    .isTrue();
            lastSequence.put(received.invoiceId(), received.sequence());
            lastState.put(received.invoiceId(), received.state());
        }
        assertThat(lastState).as("last state each invoice reached at the %s", label).isEqualTo(finalStates);
    }

    private static void awaitAllFinal(FaultRig.Database db, FaultRig.Merchant merchant) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        try (Connection connection = db.connect()) {
            while (FaultRig.count(connection, "SELECT count(*) FROM invoices WHERE merchant_id = ?"
                    + " AND state IN ('PENDING', 'PROCESSING')", merchant.id()) > 0) {
                if (Instant.now().isAfter(deadline)) {
                    fail("invoices of %s still open after 30 s", merchant.id());
                }
                Thread.sleep(200);
            }
        }
    }

    /** Waits until the worker has tried every due delivery of an active endpoint, or at once for a disabled one. */
    private static void awaitDueTried(FaultRig.Database db, String endpointId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        try (Connection connection = db.connect()) {
            while (FaultRig.count(connection, "SELECT count(*) FROM webhook_deliveries d JOIN webhook_endpoints e"
                    + " ON e.id = d.endpoint_id WHERE d.endpoint_id = ? AND e.is_active"
                    + " AND (d.status = 'PROCESSING' OR (d.status = 'PENDING' AND d.next_attempt_at <= now()))",
                    endpointId) > 0) {
                if (Instant.now().isAfter(deadline)) {
                    fail("due deliveries to %s were not tried within 30 s", endpointId);
                }
                Thread.sleep(200);
            }
        }
    }

    /** Moves the due time of the endpoint's pending deliveries back, as if {@code by} had passed. */
    private static void shiftPendingDeliveries(FaultRig.Database db, String endpointId, Duration by) throws Exception {
        try (Connection connection = db.connect()) {
            FaultRig.update(connection, "UPDATE webhook_deliveries SET next_attempt_at = next_attempt_at"
                    + " - make_interval(secs => ?) WHERE endpoint_id = ? AND status = 'PENDING'",
                    (double) by.toSeconds(), endpointId);
        }
    }

    private static long pendingDeliveries(FaultRig.Database db, String endpointId) throws Exception {
        try (Connection connection = db.connect()) {
            return FaultRig.count(connection, "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?"
                    + " AND status IN ('PENDING', 'PROCESSING')", endpointId);
        }
    }

    private static boolean isActive(FaultRig.Database db, String endpointId) throws Exception {
        try (Connection connection = db.connect()) {
            return FaultRig.count(connection, "SELECT count(*) FROM webhook_endpoints WHERE id = ? AND is_active",
                    endpointId) == 1;
        }
    }

    private static long openAttention(FaultRig.Database db, String endpointId) throws Exception {
        try (Connection connection = db.connect()) {
            return FaultRig.count(connection, "SELECT count(*) FROM attention_items WHERE subject_type = 'webhook_endpoint'"
                    + " AND subject_id = ? AND kind = 'WEBHOOK_ENDPOINT_DISABLED' AND resolved_at IS NULL", endpointId);
        }
    }

    private static Map<String, String> finalStates(FaultRig.Database db, FaultRig.Merchant merchant) throws Exception {
        Map<String, String> states = new HashMap<>();
        try (Connection connection = db.connect();
                var statement = connection.prepareStatement("SELECT id, state FROM invoices WHERE merchant_id = ?")) {
            statement.setString(1, merchant.id());
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    states.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return states;
    }

    private void enable(FaultRig.Merchant merchant, String endpointId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(app.uri("/api/v1/webhooks/" + endpointId + "/"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + merchant.secretKey())
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"is_active\": true}"))
                .build();
        HttpResponse<String> response = FaultRig.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("enabling endpoint %s, body %s", endpointId, response.body()).isEqualTo(200);
    }
}
