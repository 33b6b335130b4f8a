package co.malipo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;

/**
 * Runs two {@code api} apps from the packaged jar against one database and posts the same Daraja
 * success callback to both at once. The invoice must complete once, with one ledger credit and
 * one COMPLETE webhook event, although the posts are applied by two JVMs with separate pools.
 */
class TwoInstanceCallbackIT {

    /** The simulator accepts pushes to this number, but never sends a callback for them. */
    private static final String SILENT_PHONE = "254700200005";
    /** The demo merchant's documented test secret key, which the apps seed because of MALIPO_DEMO_SEED. */
    private static final String DEMO_SECRET_KEY = "ISSecretKey_test_DemoShopSecretKey0000000000000000";
    private static final String PUSH_PATH = "/api/v1/payment/mpesa-stk-push/";
    private static final int POSTS_PER_APP = 10;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROCESSING_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private static final String DB_HOST = env("DB_HOST", "127.0.0.1");
    private static final String DB_PORT = env("DB_PORT", "5432");
    private static final String DB_NAME = env("DB_NAME", "malipo_test");
    private static final String DB_USER = env("DB_USER", "malipo");
    private static final String DB_PASSWORD = env("DB_PASSWORD", "malipo");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** Every app started so far, so that {@link #stopApps()} stops them even after a failed start. */
    private static final List<ApiProcess> APPS = new ArrayList<>();
    private static ApiProcess appA;
    private static ApiProcess appB;

    @RegisterExtension
    static final TestWatcher PRINT_LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (ApiProcess app : APPS) {
                System.err.println("---- last 60 lines of " + app.log() + " ----");
                System.err.println(app.logTail(60));
            }
        }
    };

    @BeforeAll
    static void startTwoApps() throws Exception {
        Path jar = apiJar();
        Path logDir = Path.of(System.getProperty("malipo.it.log-dir", "target"));
        Files.createDirectories(logDir);
        List<Integer> ports = ApiProcess.freePorts(2);

        appA = ApiProcess.start("api-a", jar, ports.get(0), appEnvironment(ports.get(0)), logDir);
        APPS.add(appA);
        appB = ApiProcess.start("api-b", jar, ports.get(1), appEnvironment(ports.get(1)), logDir);
        APPS.add(appB);

        appA.awaitReady(HTTP, READY_TIMEOUT);
        appB.awaitReady(HTTP, READY_TIMEOUT);
    }

    @AfterAll
    static void stopApps() {
        for (ApiProcess app : APPS) {
            app.stop();
        }
    }

    @Test
    void sameCallbackOnTwoAppsCreditsOnce() throws Exception {
        InvoiceRow invoice = processingInvoice();
        String receipt = randomReceipt();
        String callback = successCallback(invoice, receipt);

        List<Reply> replies = postConcurrently(invoice.callbackToken(), callback);

        assertThat(replies).hasSize(2 * POSTS_PER_APP);
        for (Reply reply : replies) {
            assertThat(reply.status()).as("HTTP status of %s, body %s", reply.label(), reply.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(reply.body());
            assertThat(body.path("ResultCode")).as("ResultCode of %s, body %s", reply.label(), reply.body())
                    .isEqualTo(IntNode.valueOf(0));
        }

        try (Connection db = connect()) {
            Map<String, Object> row = queryOne(db, "SELECT state, mpesa_reference FROM invoices WHERE id = ?", invoice.id());
            assertThat(row.get("state")).as("invoice state").isEqualTo("COMPLETE");
            assertThat(row.get("mpesa_reference")).as("invoice mpesa_reference").isEqualTo(receipt);

            Map<String, Object> credits = queryOne(db,
                    "SELECT count(*) AS entries, sum(amount) AS total FROM ledger_entries WHERE invoice_id = ?", invoice.id());
            assertThat(credits.get("entries")).as("ledger entries of the invoice").isEqualTo(1L);
            assertThat((BigDecimal) credits.get("total")).as("amount credited").isEqualByComparingTo(invoice.netAmount());

            Map<String, Object> events = queryOne(db, "SELECT count(*) AS complete FROM webhook_events"
                    + " WHERE invoice_id = ? AND payload->>'state' = 'COMPLETE'", invoice.id());
            assertThat(events.get("complete")).as("COMPLETE webhook events of the invoice").isEqualTo(1L);

            Map<String, Object> stored = queryOne(db, "SELECT count(*) AS received FROM daraja_callbacks WHERE token = ?",
                    invoice.callbackToken());
            assertThat(stored.get("received")).as("stored callbacks with the invoice's token")
                    .isEqualTo((long) 2 * POSTS_PER_APP);

            // One post changed the invoice and every other one was stored as a repeat. A post whose
            // apply failed would stay RECEIVED.
            assertThat(callbackOutcomes(db, invoice.callbackToken())).as("callback outcomes")
                    .isEqualTo(Map.of("APPLIED", 1L, "DUPLICATE", (long) 2 * POSTS_PER_APP - 1));
        }
    }

    /** Pushes to the silent phone through app A and waits until the simulator has accepted the push. */
    private static InvoiceRow processingInvoice() throws Exception {
        String apiRef = "two-instances-" + UUID.randomUUID();
        String pushBody = JSON.writeValueAsString(Map.of("phone_number", SILENT_PHONE, "amount", "100", "api_ref", apiRef));
        HttpRequest push = HttpRequest.newBuilder(appA.uri(PUSH_PATH))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + DEMO_SECRET_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(pushBody))
                .build();
        HttpResponse<String> pushed = HTTP.send(push, HttpResponse.BodyHandlers.ofString());
        assertThat(pushed.statusCode()).as("push status, body %s", pushed.body()).isEqualTo(200);
        String invoiceId = JSON.readTree(pushed.body()).path("invoice").path("invoice_id").asText();
        assertThat(invoiceId).as("invoice_id in the push reply %s", pushed.body()).isNotEmpty();

        Instant deadline = Instant.now().plus(PROCESSING_TIMEOUT);
        try (Connection db = connect()) {
            while (true) {
                Map<String, Object> row = queryOne(db, "SELECT state, callback_token, checkout_request_id,"
                        + " merchant_request_id, value, net_amount, failed_code, failed_reason FROM invoices WHERE id = ?",
                        invoiceId);
                String state = (String) row.get("state");
                if (state.equals("PROCESSING")) {
                    return new InvoiceRow(invoiceId, (String) row.get("callback_token"),
                            (String) row.get("checkout_request_id"), (String) row.get("merchant_request_id"),
                            (BigDecimal) row.get("value"), (BigDecimal) row.get("net_amount"));
                }
                if (!state.equals("PENDING") || Instant.now().isAfter(deadline)) {
                    fail("Invoice %s did not reach PROCESSING within %s: state %s, failed_code %s, failed_reason %s",
                            invoiceId, PROCESSING_TIMEOUT, state, row.get("failed_code"), row.get("failed_reason"));
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Posts the callback {@link #POSTS_PER_APP} times to each app. Every post waits on one latch, so
     * all of them are sent at about the same moment.
     */
    private static List<Reply> postConcurrently(String token, String callback) throws Exception {
        int posts = 2 * POSTS_PER_APP;
        ExecutorService pool = Executors.newFixedThreadPool(posts);
        try {
            CountDownLatch waiting = new CountDownLatch(posts);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < posts; i++) {
                ApiProcess app = i % 2 == 0 ? appA : appB;
                String label = app.name() + " post " + (i / 2 + 1);
                HttpRequest request = HttpRequest.newBuilder(app.uri("/daraja/callback/" + token))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(callback))
                        .build();
                futures.add(pool.submit(() -> {
                    waiting.countDown();
                    go.await();
                    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    return new Reply(label, response.statusCode(), response.body());
                }));
            }
            waiting.await();
            go.countDown();

            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                replies.add(future.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Builds a success callback with the fields, types and item order that Daraja sends. */
    private static String successCallback(InvoiceRow invoice, String receipt) {
        return "{\"Body\":{\"stkCallback\":{"
                + "\"MerchantRequestID\":\"" + invoice.merchantRequestId() + "\","
                + "\"CheckoutRequestID\":\"" + invoice.checkoutRequestId() + "\","
                + "\"ResultCode\":0,"
                + "\"ResultDesc\":\"The service request is processed successfully.\","
                + "\"CallbackMetadata\":{\"Item\":["
                + "{\"Name\":\"Amount\",\"Value\":" + invoice.value().toPlainString() + "},"
                + "{\"Name\":\"MpesaReceiptNumber\",\"Value\":\"" + receipt + "\"},"
                + "{\"Name\":\"Balance\"},"
                + "{\"Name\":\"TransactionDate\",\"Value\":20240302013000},"
                + "{\"Name\":\"PhoneNumber\",\"Value\":" + SILENT_PHONE + "}"
                + "]}}}}";
    }

    /** Returns a random receipt in M-Pesa's format: 10 characters from A to Z and 0 to 9. */
    private static String randomReceipt() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder receipt = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            receipt.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return receipt.toString();
    }

    private static Map<String, Long> callbackOutcomes(Connection db, String token) throws SQLException {
        Map<String, Long> outcomes = new TreeMap<>();
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT outcome, count(*) FROM daraja_callbacks WHERE token = ? GROUP BY outcome")) {
            statement.setString(1, token);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    outcomes.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return outcomes;
    }

    /** Runs a query that must return exactly one row, and returns it by column label. */
    private static Map<String, Object> queryOne(Connection db, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                assertThat(rows.next()).as("a row from %s with %s", sql, parameter).isTrue();
                Map<String, Object> row = new TreeMap<>();
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    row.put(rows.getMetaData().getColumnLabel(column), rows.getObject(column));
                }
                assertThat(rows.next()).as("a second row from %s with %s", sql, parameter).isFalse();
                return row;
            }
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + DB_HOST + ":" + DB_PORT + "/" + DB_NAME, DB_USER,
                DB_PASSWORD);
    }

    /** Returns the packaged api jar, or fails with the command that builds it. */
    private static Path apiJar() {
        String configured = System.getProperty("malipo.api.jar");
        Path jar = Path.of(configured != null ? configured : "../api/target/quarkus-app/quarkus-run.jar")
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            fail("The packaged api app %s is missing. Run mvn verify from the repository root, which packages api"
                    + " before this module, or build it first with: mvn -pl api -am package -DskipTests", jar);
        }
        return jar;
    }

    /** Returns the environment of one app: the test database, its own port, and the seeded demo merchant. */
    private static Map<String, String> appEnvironment(int port) {
        String baseUrl = "http://127.0.0.1:" + port;
        return Map.ofEntries(
                Map.entry("DB_HOST", DB_HOST),
                Map.entry("DB_PORT", DB_PORT),
                Map.entry("DB_NAME", DB_NAME),
                Map.entry("DB_USER", DB_USER),
                Map.entry("DB_PASSWORD", DB_PASSWORD),
                Map.entry("QUARKUS_HTTP_HOST", "127.0.0.1"),
                Map.entry("QUARKUS_HTTP_PORT", Integer.toString(port)),
                Map.entry("MALIPO_API_HOST", baseUrl),
                // The Daraja client calls the simulator under this URL, and the simulator posts its
                // callbacks there, so each app pushes only to its own simulator.
                Map.entry("MALIPO_CALLBACK_SIMULATOR_BASE_URL", baseUrl),
                Map.entry("MALIPO_DEMO_SEED", "true"),
                // The api suite may have left a prompt open on the silent number moments ago; a short
                // hold window keeps this push from waiting the default 90 s behind it.
                Map.entry("MALIPO_PUSH_PHONE_HOLD_WINDOW", "1s"),
                Map.entry("MALIPO_DEMO_TEST_SECRET_KEY", DEMO_SECRET_KEY));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The columns of a PROCESSING invoice that the callback needs and the checks compare against. */
    private record InvoiceRow(String id, String callbackToken, String checkoutRequestId, String merchantRequestId,
            BigDecimal value, BigDecimal netAmount) {
    }

    private record Reply(String label, int status, String body) {
    }
}
