package co.malipo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Two api apps and the Daraja simulator run against a throwaway PostgreSQL cluster that the test stops in the middle
 * of a load run and starts again. While it is down every push must get 503 with a JSON body and {@code Retry-After},
 * never 500, and the apps must recover without a restart: the pushes retried with their idempotency keys succeed, the
 * workers resume, and every invariant holds.
 */
class PostgresRestartIT {

    private final List<ApiProcess> started = new CopyOnWriteArrayList<>();
    private LocalPostgres postgres;
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
    void stop() throws Exception {
        for (ApiProcess app : started) {
            app.stop();
        }
        if (daraja != null) {
            daraja.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void appsRecoverFromDatabaseRestart() throws Exception {
        Optional<Path> binaries = LocalPostgres.serverBinaries();
        assumeTrue(binaries.isPresent(), "needs the PostgreSQL server binaries under /usr/lib/postgresql");
        int pushes = FaultRig.LONG ? 500 : 150;
        Duration spread = FaultRig.LONG ? Duration.ofSeconds(60) : Duration.ofSeconds(15);
        Duration downtime = FaultRig.LONG ? Duration.ofSeconds(20) : Duration.ofSeconds(5);
        int restarts = FaultRig.LONG ? 2 : 1;

        List<Integer> ports = ApiProcess.freePorts(3);
        postgres = LocalPostgres.create(binaries.get(),
                LocalPostgres.clusterDirectory(FaultRig.logDir().resolve("pg-faults")), ports.get(2));
        FaultRig.Database db = postgres.database();
        daraja = DarajaSimulatorHost.start(Duration.ofSeconds(1), Duration.ofSeconds(3));
        Path jar = FaultRig.apiJar();
        ApiProcess appA = start(jar, "api-pg-a", ports.get(0), db);
        appA.awaitReady(FaultRig.HTTP, FaultRig.READY_TIMEOUT);
        // B starts once A has migrated the new database, so that the two do not race on Flyway's first run.
        ApiProcess appB = start(jar, "api-pg-b", ports.get(1), db);
        appB.awaitReady(FaultRig.HTTP, FaultRig.READY_TIMEOUT);
        FaultRig.Merchant merchant = FaultRig.createMerchant(db, "PGRESTART");
        receiver = WebhookReceiver.start();
        FaultRig.createWebhookEndpoint(appA, merchant, receiver.url());

        List<Duration> outages = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> restarter = CompletableFuture.runAsync(() -> restartDatabase(
                spread.dividedBy(restarts + 1), downtime, restarts, outages));
        FaultRig.LoadResult load = FaultRig.runLoad(() -> List.of(appA, appB), merchant, pushes, 8, spread,
                FaultRig.Retry.ON_CONNECTION_FAILURE_OR_503, Duration.ofSeconds(90));
        restarter.get();

        assertThat(outages).as("database outages").hasSize(restarts);
        assertThat(load.attemptCounts().keySet()).as("replies seen, which must be 200 or 503 only")
                .containsOnly("HTTP 200", "HTTP 503");
        assertThat(load.attemptCounts().get("HTTP 503")).as("503 replies while the database was down").isPositive();
        assertThat(load.outcomes()).as("pushes that never succeeded").filteredOn(outcome -> outcome.status() != 200)
                .isEmpty();
        assertThat(load.invoiceIds()).hasSize(pushes);
        assertOutageReply(appA);
        for (ApiProcess app : List.of(appA, appB)) {
            assertThat(readyStatus(app)).as("readiness of %s after the restart", app.name()).isEqualTo(200);
        }
        int checks = FaultRig.assertInvariantsHold(db, merchant, Duration.ofSeconds(90));
        FaultRig.assertPushedOnce(daraja);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("pushes sent", pushes);
        report.put("database restarts", restarts);
        report.put("database downtime", outages);
        report.put("request attempts", load.attemptCounts());
        report.put("pushes that got 503 before succeeding", load.outcomes().stream()
                .filter(outcome -> outcome.attempts().size() > 1).count());
        report.putAll(FaultRig.invoiceFigures(db, merchant));
        report.put("invariant checks until all held", checks);
        FaultRig.report("PostgresRestartIT", report);
    }

    /** Stops the database once more and checks the exact reply to a push while it is down. */
    private void assertOutageReply(ApiProcess app) throws Exception {
        postgres.stop();
        try {
            HttpRequest request = HttpRequest.newBuilder(app.uri(FaultRig.PUSH_PATH))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer ISSecretKey_test_" + "x".repeat(32))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"phone_number\": \"0712345678\", \"amount\": \"100\"}"))
                    .build();
            HttpResponse<String> response = FaultRig.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("push while the database is down, body %s", response.body())
                    .isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).as("Retry-After").hasValue("5");
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/json"));
            assertThat(FaultRig.JSON.readTree(response.body()).path("detail").asText()).contains("database");
        } finally {
            postgres.start();
        }
    }

    private void restartDatabase(Duration gap, Duration downtime, int restarts, List<Duration> outages) {
        try {
            for (int i = 0; i < restarts; i++) {
                Thread.sleep(gap.toMillis());
                Instant down = Instant.now();
                postgres.stop();
                Thread.sleep(downtime.toMillis());
                postgres.start();
                outages.add(Duration.between(down, Instant.now()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("restarting the throwaway PostgreSQL failed", e);
        }
    }

    private static int readyStatus(ApiProcess app) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        int status = -1;
        while (Instant.now().isBefore(deadline)) {
            HttpRequest ready = HttpRequest.newBuilder(app.uri("/q/health/ready")).timeout(Duration.ofSeconds(5)).GET()
                    .build();
            status = FaultRig.HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                return status;
            }
            Thread.sleep(500);
        }
        return status;
    }

    private ApiProcess start(Path jar, String name, int port, FaultRig.Database db) throws java.io.IOException {
        // A 30 s lease lets a push worker keep its reply in memory through the outage and record it afterwards.
        ApiProcess app = ApiProcess.start(name, jar, port, FaultRig.appEnvironment(db, port, daraja.baseUrl(),
                Map.of("MALIPO_PUSH_LEASE", "30s")), FaultRig.logDir());
        started.add(app);
        return app;
    }
}
