package co.malipo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Two api apps share one database and one Daraja simulator in the test JVM. During a load run, app A is killed with
 * SIGKILL and started again on the same port, while app B keeps taking pushes. A push whose connection to A failed is
 * sent again to B with the same idempotency key, as a merchant's client would. No push may be lost or create two
 * invoices, no invoice may be pushed to Daraja twice, and every invariant must hold.
 */
class ApiKillIT {

    private final List<ApiProcess> started = new CopyOnWriteArrayList<>();
    private DarajaSimulatorHost daraja;
    private WebhookReceiver receiver;

    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (ApiProcess app : started) {
                System.err.println("---- last 60 lines of " + app.log() + " ----");
                System.err.println(app.logTail(60));
            }
        }
    };

    @AfterEach
    void stop() {
        for (ApiProcess app : started) {
            app.stop();
        }
        if (daraja != null) {
            daraja.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void loadSurvivesKilledInstance() throws Exception {
        int pushes = FaultRig.LONG ? 600 : 150;
        Duration spread = FaultRig.LONG ? Duration.ofSeconds(60) : Duration.ofSeconds(15);
        int kills = FaultRig.LONG ? 3 : 1;
        FaultRig.Database db = FaultRig.Database.fromEnvironment();
        daraja = DarajaSimulatorHost.start(Duration.ofSeconds(1), Duration.ofSeconds(3));
        List<Integer> ports = ApiProcess.freePorts(2);
        Path jar = FaultRig.apiJar();
        ApiProcess appA = start(jar, "api-kill-a", ports.get(0), db);
        ApiProcess appB = start(jar, "api-kill-b", ports.get(1), db);
        appA.awaitReady(FaultRig.HTTP, FaultRig.READY_TIMEOUT);
        appB.awaitReady(FaultRig.HTTP, FaultRig.READY_TIMEOUT);
        FaultRig.Merchant merchant = FaultRig.createMerchant(db, "KILL");
        receiver = WebhookReceiver.start();
        FaultRig.createWebhookEndpoint(appB, merchant, receiver.url());

        // The load picks its target from this list, so it goes on sending to A's port while A is dead.
        List<ApiProcess> targets = new CopyOnWriteArrayList<>(List.of(appA, appB));
        CompletableFuture<Integer> killer = CompletableFuture.supplyAsync(() -> killAndRestart(targets, jar, db,
                spread.dividedBy(kills + 1), kills));
        FaultRig.LoadResult load = FaultRig.runLoad(() -> targets, merchant, pushes, 8, spread,
                FaultRig.Retry.ON_CONNECTION_FAILURE_OR_503, Duration.ofSeconds(30));
        int restarts = killer.get();

        assertThat(restarts).as("restarts of app A").isEqualTo(kills);
        assertThat(load.outcomes()).as("pushes without an invoice after retries")
                .filteredOn(outcome -> outcome.invoiceId() == null).isEmpty();
        assertThat(load.invoiceIds()).as("distinct invoices of the pushes").hasSize(pushes);
        try (Connection connection = db.connect()) {
            long duplicated = FaultRig.count(connection, "SELECT count(*) FROM (SELECT api_ref FROM invoices"
                    + " WHERE merchant_id = ? GROUP BY api_ref HAVING count(*) > 1) twice", merchant.id());
            assertThat(duplicated).as("pushes that created two invoices").isZero();
        }
        int checks = FaultRig.assertInvariantsHold(db, merchant, Duration.ofSeconds(90));
        FaultRig.assertPushedOnce(daraja);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("pushes sent", pushes);
        report.put("SIGKILLs of app A", kills);
        report.put("request attempts", load.attemptCounts());
        report.put("pushes retried after a failed connection", load.outcomes().stream()
                .filter(outcome -> outcome.attempts().size() > 1).count());
        report.put("pushes received by the simulator", daraja.receivedPushes().size());
        report.putAll(FaultRig.invoiceFigures(db, merchant));
        report.put("invariant checks until all held", checks);
        FaultRig.report("ApiKillIT", report);
    }

    /** Kills app A {@code kills} times, {@code gap} apart, each time starting it again 3 s later on the same port. */
    private Integer killAndRestart(List<ApiProcess> targets, Path jar, FaultRig.Database db, Duration gap, int kills) {
        try {
            int restarts = 0;
            for (int i = 1; i <= kills; i++) {
                Thread.sleep(gap.toMillis());
                ApiProcess victim = targets.get(0);
                victim.kill();
                Thread.sleep(3000);
                ApiProcess restarted = start(jar, "api-kill-a-restart-" + i, victim.port(), db);
                restarted.awaitReady(FaultRig.HTTP, FaultRig.READY_TIMEOUT);
                targets.set(0, restarted);
                restarts++;
            }
            return restarts;
        } catch (Exception e) {
            throw new IllegalStateException("killing and restarting app A failed", e);
        }
    }

    private ApiProcess start(Path jar, String name, int port, FaultRig.Database db) throws java.io.IOException {
        ApiProcess app = ApiProcess.start(name, jar, port, FaultRig.appEnvironment(db, port, daraja.baseUrl(), Map.of()),
                FaultRig.logDir());
        started.add(app);
        return app;
    }
}
