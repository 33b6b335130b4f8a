package co.malipo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A load run against one api app whose built-in Daraja simulator, configured through the environment, replies to a share
 * of OAuth, push and query requests slowly (past the read timeout), with HTTP 503, with an HTML page, or by closing
 * the connection. Every push must still be taken, and each invoice must end final or be listed as needing attention,
 * with every invariant holding.
 */
class DarajaFaultsIT {

    private static final String FAULTS = "slow=8,error=8,html=8,drop=8,seed=11";

    private ApiProcess app;
    private WebhookReceiver receiver;

    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (app != null) {
                System.err.println("---- last 80 lines of " + app.log() + " ----");
                System.err.println(app.logTail(80));
            }
        }
    };

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void loadSurvivesDarajaFaults() throws Exception {
        int pushes = FaultRig.LONG ? 600 : 120;
        Duration spread = FaultRig.LONG ? Duration.ofSeconds(60) : Duration.ofSeconds(10);
        FaultRig.Database db = FaultRig.Database.fromEnvironment();
        int port = ApiProcess.freePorts(1).get(0);
        app = ApiProcess.start("api-daraja-faults", FaultRig.apiJar(), port, FaultRig.appEnvironment(db, port, null,
                Map.of("MALIPO_SIMULATOR_FAULTS", FAULTS, "MALIPO_SIMULATOR_FAULT_CONTROL", "true")), FaultRig.logDir());
        app.awaitReady(FaultRig.HTTP, FaultRig.READY_TIMEOUT);
        FaultRig.Merchant merchant = FaultRig.createMerchant(db, "DARAJA");
        receiver = WebhookReceiver.start();
        FaultRig.createWebhookEndpoint(app, merchant, receiver.url());

        FaultRig.LoadResult load = FaultRig.runLoad(() -> List.of(app), merchant, pushes, 8, spread,
                FaultRig.Retry.NEVER, Duration.ZERO);

        assertThat(load.outcomes()).as("pushes that did not get 200").filteredOn(outcome -> outcome.status() != 200)
                .isEmpty();
        assertThat(load.invoiceIds()).hasSize(pushes);
        int checks = FaultRig.assertInvariantsHold(db, merchant, Duration.ofSeconds(90));

        JsonNode injected = faultReport().path("injected");
        assertThat(injected.path("slow").asInt()).as("slow replies injected").isPositive();
        assertThat(injected.path("error").asInt()).as("503 replies injected").isPositive();
        assertThat(injected.path("html").asInt()).as("HTML replies injected").isPositive();
        assertThat(injected.path("drop").asInt()).as("dropped connections injected").isPositive();
        Map<String, Long> figures = FaultRig.invoiceFigures(db, merchant);
        try (Connection connection = db.connect()) {
            // The pushes whose reply was lost but which Daraja accepted were settled by their callbacks.
            long unknownButSettled = FaultRig.count(connection, "SELECT count(DISTINCT i.id) FROM invoices i"
                    + " JOIN invoice_events e ON e.invoice_id = i.id AND e.kind = 'PUSH_OUTCOME_UNKNOWN'"
                    + " WHERE i.merchant_id = ? AND i.state IN ('COMPLETE', 'FAILED')", merchant.id());
            assertThat(unknownButSettled).as("invoices whose push reply was lost and that a callback settled")
                    .isPositive();
            figures.put("outcome unknown, then settled by callback", unknownButSettled);
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("pushes sent", pushes);
        report.put("push replies", load.attemptCounts());
        report.put("faults injected (OAuth, push and query replies)", injected.toString());
        report.putAll(figures);
        report.put("invariant checks until all held", checks);
        FaultRig.report("DarajaFaultsIT", report);
    }

    private JsonNode faultReport() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(app.uri("/simulator/daraja/faults")).timeout(Duration.ofSeconds(5))
                .GET().build();
        HttpResponse<String> response = FaultRig.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("fault report, body %s", response.body()).isEqualTo(200);
        return FaultRig.JSON.readTree(response.body());
    }
}
