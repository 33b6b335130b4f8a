package co.malipo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import com.fasterxml.jackson.databind.JsonNode;

import co.malipo.core.simulator.SimulatorFaults;

/**
 * Callbacks that arrive before the push reply is recorded, twice at once on two apps, out of order, and hours late.
 * The Daraja simulator in the test JVM accepts every push but posts no callback of its own (its callback delay is an
 * hour), so the test posts each callback itself, in Daraja's exact wire format, to the two api apps.
 */
class CallbackDisorderIT {

    private static final int CANCELLED_BY_USER = 1032;
    private static final int SUCCESS = 0;

    private final List<ApiProcess> started = new CopyOnWriteArrayList<>();
    private DarajaSimulatorHost daraja;
    private WebhookReceiver receiver;
    private ApiProcess appA;
    private ApiProcess appB;
    private final Random random = new Random(20261204);
    /** Posts run here: the common pool has one thread on two cores, too few for posts that wait for each other. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

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
        threads.shutdownNow();
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
    void disorderedCallbacksSettleOnce() throws Exception {
        int perGroup = FaultRig.LONG ? 40 : 10;
        FaultRig.Database db = FaultRig.Database.fromEnvironment();
        daraja = DarajaSimulatorHost.start(Duration.ofHours(1), Duration.ofSeconds(6));
        List<Integer> ports = ApiProcess.freePorts(2);
        Path jar = FaultRig.apiJar();
        // A 10 s read timeout outlasts the 6 s slow reply, so the reply is recorded after the early
        // callback. The test posts the callbacks one invoice after another, which takes seconds on a
        // loaded machine, so the hold is 6 s.
        Map<String, String> extra = Map.of("MALIPO_DARAJA_READ_TIMEOUT", "10s");
        appA = start(jar, "api-disorder-a", ports.get(0), db, extra);
        appB = start(jar, "api-disorder-b", ports.get(1), db, extra);
        appA.awaitReady(FaultRig.HTTP, FaultRig.READY_TIMEOUT);
        appB.awaitReady(FaultRig.HTTP, FaultRig.READY_TIMEOUT);
        FaultRig.Merchant merchant = FaultRig.createMerchant(db, "DISORDER");
        receiver = WebhookReceiver.start();
        FaultRig.createWebhookEndpoint(appA, merchant, receiver.url());
        int posts = 0;

        // Out of order: a cancellation then a success, or a success then a cancellation, interleaved over invoices.
        List<String> failThenPay = push(merchant, perGroup);
        List<String> payThenFail = push(merchant, perGroup);
        List<String[]> disorder = new ArrayList<>();
        for (String invoiceId : failThenPay) {
            String url = awaitProcessing(db, invoiceId);
            disorder.add(new String[] {url, callback(url, CANCELLED_BY_USER), callback(url, SUCCESS)});
        }
        for (String invoiceId : payThenFail) {
            String url = awaitProcessing(db, invoiceId);
            disorder.add(new String[] {url, callback(url, SUCCESS), callback(url, CANCELLED_BY_USER)});
        }
        Collections.shuffle(disorder, random);
        for (String[] pair : disorder) {
            posts += post(randomApp(), pair[0], pair[1]);
        }
        Collections.shuffle(disorder, random);
        for (String[] pair : disorder) {
            posts += post(randomApp(), pair[0], pair[2]);
        }

        // Before the reply: every push reply is held 6 s, and the success callback is posted twice at once meanwhile.
        // The apps fetched their Daraja tokens for the pushes above, so only the push replies are slow.
        daraja.simulator().faults().set(SimulatorFaults.Plan.parse("slow=100"));
        List<String> early = push(merchant, perGroup);
        List<CompletableFuture<Integer>> earlyPosts = new ArrayList<>();
        for (String invoiceId : early) {
            String url = awaitAcceptedPush(db, invoiceId);
            String body = callback(url, SUCCESS);
            earlyPosts.add(CompletableFuture.supplyAsync(() -> postTwiceAtOnceUnchecked(url, body), threads));
        }
        for (CompletableFuture<Integer> earlyPost : earlyPosts) {
            posts += earlyPost.get();
        }
        daraja.simulator().faults().set(SimulatorFaults.Plan.NONE);

        // Hours late: the invoices are moved three hours into the past, listed as open too long, then paid.
        List<String> late = push(merchant, perGroup);
        List<String> lateUrls = new ArrayList<>();
        for (String invoiceId : late) {
            lateUrls.add(awaitProcessing(db, invoiceId));
        }
        try (Connection connection = db.connect()) {
            for (String invoiceId : late) {
                FaultRig.update(connection, "UPDATE invoices SET created_at = created_at - interval '3 hours',"
                        + " accepted_at = accepted_at - interval '3 hours', updated_at = updated_at - interval '3 hours'"
                        + " WHERE id = ?", invoiceId);
            }
        }
        awaitAttention(db, late, "OPEN_TOO_LONG");
        for (String url : lateUrls) {
            posts += postTwiceAtOnce(url, callback(url, SUCCESS));
        }

        int checks = FaultRig.assertInvariantsHold(db, merchant, Duration.ofSeconds(60));
        FaultRig.assertPushedOnce(daraja);
        try (Connection connection = db.connect()) {
            // The held replies may still be on their way when the invariants already hold.
            awaitPushReplies(connection, early, Duration.ofSeconds(30));
            for (String invoiceId : early) {
                assertThat(state(connection, invoiceId)).as("state of early-callback invoice %s", invoiceId)
                        .isEqualTo("COMPLETE");
                assertThat(FaultRig.count(connection, "SELECT count(*) FROM invoice_events c JOIN invoice_events a"
                        + " ON a.invoice_id = c.invoice_id AND a.kind = 'PUSH_ACCEPTED' WHERE c.invoice_id = ?"
                        + " AND c.kind = 'STATE_CHANGED' AND c.state_to = 'COMPLETE' AND c.id < a.id", invoiceId))
                        .as("completion of %s recorded before its push reply", invoiceId).isEqualTo(1);
                assertThat(outcomes(connection, invoiceId)).as("callback outcomes of %s", invoiceId)
                        .isEqualTo(Map.of("APPLIED", 1L, "DUPLICATE", 1L));
            }
            for (String invoiceId : failThenPay) {
                assertThat(state(connection, invoiceId)).as("state of %s, cancelled then paid", invoiceId)
                        .isEqualTo("COMPLETE");
                assertThat(openAttention(connection, invoiceId, "LATE_SUCCESS")).as("LATE_SUCCESS item of %s", invoiceId)
                        .isEqualTo(1);
            }
            for (String invoiceId : payThenFail) {
                assertThat(state(connection, invoiceId)).as("state of %s, paid then cancelled", invoiceId)
                        .isEqualTo("COMPLETE");
                assertThat(openAttention(connection, invoiceId, "SOURCES_DISAGREE"))
                        .as("SOURCES_DISAGREE item of %s", invoiceId).isEqualTo(1);
            }
            for (String invoiceId : late) {
                assertThat(state(connection, invoiceId)).as("state of late-paid invoice %s", invoiceId)
                        .isEqualTo("COMPLETE");
            }
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("invoices", 4 * perGroup);
        report.put("callbacks posted by the test", posts);
        report.put("callbacks before the push reply, each posted twice at once", early.size());
        report.put("cancelled then paid / paid then cancelled", failThenPay.size() + " / " + payThenFail.size());
        report.put("paid three hours late, each posted twice at once", late.size());
        report.putAll(FaultRig.invoiceFigures(db, merchant));
        report.put("invariant checks until all held", checks);
        FaultRig.report("CallbackDisorderIT", report);
    }

    private List<String> push(FaultRig.Merchant merchant, int count) throws Exception {
        FaultRig.LoadResult load = FaultRig.runLoad(() -> List.of(appA, appB), merchant, count, 4, Duration.ZERO,
                FaultRig.Retry.NEVER, Duration.ZERO);
        assertThat(load.outcomes()).as("pushes that did not get 200").filteredOn(outcome -> outcome.status() != 200)
                .isEmpty();
        return load.invoiceIds();
    }

    /** Waits until the simulator has accepted the invoice's push, and returns its CallBackURL. */
    private String awaitAcceptedPush(FaultRig.Database db, String invoiceId) throws Exception {
        String token = callbackToken(db, invoiceId);
        Instant deadline = Instant.now().plusSeconds(15);
        while (true) {
            for (JsonNode push : daraja.receivedPushes()) {
                String url = push.path("CallBackURL").asText();
                if (url.endsWith("/" + token) && daraja.simulator().callbackFor(url, SUCCESS).isPresent()) {
                    return url;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                fail("the simulator accepted no push for invoice %s within 15 s", invoiceId);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until the invoice is PROCESSING, so its push reply is recorded, and returns its CallBackURL. */
    private String awaitProcessing(FaultRig.Database db, String invoiceId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        try (Connection connection = db.connect()) {
            while (!state(connection, invoiceId).equals("PROCESSING")) {
                if (Instant.now().isAfter(deadline)) {
                    fail("invoice %s was not PROCESSING within 15 s but %s", invoiceId, state(connection, invoiceId));
                }
                Thread.sleep(50);
            }
        }
        return awaitAcceptedPush(db, invoiceId);
    }

    private void awaitAttention(FaultRig.Database db, List<String> invoiceIds, String kind) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        try (Connection connection = db.connect()) {
            for (String invoiceId : invoiceIds) {
                while (openAttention(connection, invoiceId, kind) == 0) {
                    if (Instant.now().isAfter(deadline)) {
                        fail("invoice %s was not listed as %s within 20 s", invoiceId, kind);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    private static String callbackToken(FaultRig.Database db, String invoiceId) throws Exception {
        try (Connection connection = db.connect();
                var statement = connection.prepareStatement("SELECT callback_token FROM invoices WHERE id = ?")) {
            statement.setString(1, invoiceId);
            try (var rows = statement.executeQuery()) {
                assertThat(rows.next()).as("invoice %s exists", invoiceId).isTrue();
                return rows.getString(1);
            }
        }
    }

    private String callback(String url, int resultCode) throws Exception {
        JsonNode body = daraja.simulator().callbackFor(url, resultCode).orElseThrow(
                () -> new AssertionError("the simulator has no accepted push for " + url));
        return FaultRig.JSON.writeValueAsString(body);
    }

    /** Posts one callback to both apps at the same moment and checks both replies. Returns the number of posts. */
    private int postTwiceAtOnce(String url, String body) throws Exception {
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> postUnchecked(appA, url, body), threads);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> postUnchecked(appB, url, body), threads);
        return first.get() + second.get();
    }

    private int postTwiceAtOnceUnchecked(String url, String body) {
        try {
            return postTwiceAtOnce(url, body);
        } catch (Exception e) {
            throw new IllegalStateException("posting a callback twice failed", e);
        }
    }

    private int postUnchecked(ApiProcess app, String url, String body) {
        try {
            return post(app, url, body);
        } catch (Exception e) {
            throw new IllegalStateException("posting a callback to " + app.name() + " failed", e);
        }
    }

    /** Posts a callback to the app under the path of {@code url} and expects 200 with ResultCode 0. */
    private int post(ApiProcess app, String url, String body) throws Exception {
        String path = java.net.URI.create(url).getPath();
        HttpRequest request = HttpRequest.newBuilder(app.uri(path))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = FaultRig.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("callback reply of %s, body %s", app.name(), response.body()).isEqualTo(200);
        assertThat(FaultRig.JSON.readTree(response.body()).path("ResultCode").asInt(-1)).as("ResultCode").isZero();
        return 1;
    }

    private ApiProcess randomApp() {
        return random.nextBoolean() ? appA : appB;
    }

    private static String state(Connection connection, String invoiceId) throws Exception {
        try (var statement = connection.prepareStatement("SELECT state FROM invoices WHERE id = ?")) {
            statement.setString(1, invoiceId);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : "(missing)";
            }
        }
    }

    private static long openAttention(Connection connection, String invoiceId, String kind) throws Exception {
        return FaultRig.count(connection, "SELECT count(*) FROM attention_items WHERE subject_type = 'invoice'"
                + " AND subject_id = ? AND kind = ? AND resolved_at IS NULL", invoiceId, kind);
    }

    private static Map<String, Long> outcomes(Connection connection, String invoiceId) throws Exception {
        Map<String, Long> outcomes = new java.util.TreeMap<>();
        try (var statement = connection.prepareStatement(
                "SELECT outcome, count(*) FROM daraja_callbacks WHERE invoice_id = ? GROUP BY outcome")) {
            statement.setString(1, invoiceId);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    outcomes.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return outcomes;
    }

    private ApiProcess start(Path jar, String name, int port, FaultRig.Database db, Map<String, String> extra)
            throws java.io.IOException {
        ApiProcess app = ApiProcess.start(name, jar, port, FaultRig.appEnvironment(db, port, daraja.baseUrl(), extra),
                FaultRig.logDir());
        started.add(app);
        return app;
    }

    /** Waits until every invoice has its PUSH_ACCEPTED event, or fails after {@code within}. */
    private static void awaitPushReplies(Connection connection, List<String> invoiceIds, Duration within)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (String invoiceId : invoiceIds) {
            while (FaultRig.count(connection, "SELECT count(*) FROM invoice_events WHERE invoice_id = ?"
                    + " AND kind = 'PUSH_ACCEPTED'", invoiceId) == 0) {
                assertThat(System.nanoTime()).as("push reply of %s recorded within %s", invoiceId, within)
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }
}
