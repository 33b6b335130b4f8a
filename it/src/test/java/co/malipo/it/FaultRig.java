package co.malipo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import co.malipo.core.invariants.InvariantChecker;

/**
 * What the fault tests share: the database, the environment of an api process, a fresh merchant per test, a paced
 * load of pushes, and the invariant check at the end. Each test uses its own merchant, so the checker, limited to that
 * merchant, ignores what other tests left in a shared database.
 */
final class FaultRig {

    /** Whether the long variants run, set with {@code -Dmalipo.it.long=true}. */
    static final boolean LONG = Boolean.getBoolean("malipo.it.long");

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final String PUSH_PATH = "/api/v1/payment/mpesa-stk-push/";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private FaultRig() {
    }

    /** Connection settings of one PostgreSQL database. */
    record Database(String host, String port, String name, String user, String password) {

        /** Returns the test database named by DB_HOST, DB_PORT, DB_NAME, DB_USER and DB_PASSWORD. */
        static Database fromEnvironment() {
            return new Database(env("DB_HOST", "127.0.0.1"), env("DB_PORT", "5432"), env("DB_NAME", "malipo_test"),
                    env("DB_USER", "malipo"), env("DB_PASSWORD", "malipo"));
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + name, user, password);
        }
    }

    /** A merchant made for one test, with its test secret key and settlement wallet. */
    record Merchant(String id, String secretKey, String walletId) {
    }

    /** Returns the packaged api jar, or fails with the command that builds it. */
    static Path apiJar() {
        String configured = System.getProperty("malipo.api.jar");
        Path jar = Path.of(configured != null ? configured : "../api/target/quarkus-app/quarkus-run.jar")
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            fail("The packaged api app %s is missing. Run mvn verify from the repository root, which packages api"
                    + " before this module, or build it first with: mvn -pl api -am package -DskipTests", jar);
        }
        return jar;
    }

    static Path logDir() throws IOException {
        Path dir = Path.of(System.getProperty("malipo.it.log-dir", "target"));
        Files.createDirectories(dir);
        return dir;
    }

    /**
     * Returns the environment of an api app on {@code port} with schedules short enough for a test: the status poller
     * every second with queries 2 s apart, open invoices listed after 12 s, a 2 s Daraja read timeout, and webhook
     * retries 1 to 5 s apart. Callbacks come back to the app itself. {@code darajaBaseUrl} is the simulator to push
     * to, or null for the app's own. {@code extra} wins on conflicts.
     */
    static Map<String, String> appEnvironment(Database db, int port, String darajaBaseUrl, Map<String, String> extra) {
        String baseUrl = "http://127.0.0.1:" + port;
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("DB_HOST", db.host());
        environment.put("DB_PORT", db.port());
        environment.put("DB_NAME", db.name());
        environment.put("DB_USER", db.user());
        environment.put("DB_PASSWORD", db.password());

        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.put("MALIPO_API_HOST", baseUrl);
        environment.put("MALIPO_CALLBACK_SIMULATOR_BASE_URL", baseUrl);
        environment.put("MALIPO_DARAJA_ACCOUNTS_SIMULATOR_BASE_URL",
                darajaBaseUrl != null ? darajaBaseUrl : baseUrl + "/simulator/daraja");
        environment.put("MALIPO_DEMO_SEED", "false");
        // The load runs push faster than the production rate limits allow, so the limits are off.
        environment.put("MALIPO_API_PUSH_LIMIT_PER_KEY", "0");
        environment.put("MALIPO_API_PUSH_LIMIT_PER_PHONE", "0");
        environment.put("MALIPO_API_STATUS_LIMIT_PER_KEY", "0");

        environment.put("MALIPO_DARAJA_READ_TIMEOUT", "2s");
        environment.put("MALIPO_SIMULATOR_CALLBACK_DELAY", "1s");
        environment.put("MALIPO_SIMULATOR_SLOW_REPLY_DELAY", "3s");

        environment.put("MALIPO_RECONCILE_POLL_INTERVAL", "1s");
        environment.put("MALIPO_RECONCILE_QUERY_DELAYS", "2s,2s,2s,3s,5s");
        environment.put("MALIPO_RECONCILE_QUERY_LEASE", "10s");
        environment.put("MALIPO_RECONCILE_ATTENTION_AFTER", "12s");

        environment.put("MALIPO_PUSH_LEASE", "10s");
        environment.put("MALIPO_PUSH_PHONE_HOLD_WINDOW", "5s");
        environment.put("MALIPO_PUSH_CONNECT_RETRY_WINDOW", "5s");
        environment.put("MALIPO_PUSH_CONNECT_RETRY_DELAY", "1s");
        environment.put("MALIPO_CALLBACK_RETRY_INTERVAL", "1s");

        environment.put("MALIPO_WEBHOOKS_RETRY_DELAYS", "1s,1s,2s,2s,5s");
        environment.put("MALIPO_WEBHOOKS_POLL_INTERVAL", "1s");
        environment.put("MALIPO_WEBHOOKS_READ_TIMEOUT", "2s");
        environment.putAll(extra);
        return environment;
    }

    /** Inserts a merchant with a random test secret key and a KES settlement wallet for the TEST environment. */
    static Merchant createMerchant(Database db, String label) throws SQLException {
        String suffix = randomText(8, "ABCDEFGHJKMNPQRSTVWXYZ0123456789");
        String merchantId = "MRC_" + label + "_" + suffix;
        String secretKey = "ISSecretKey_test_" + randomText(32, BASE62);
        String walletId = "wlt_" + randomText(10, "ABCDEFGHJKMNPQRSTVWXYZ0123456789");
        try (Connection connection = db.connect()) {
            update(connection, "INSERT INTO merchants (id, name) VALUES (?, ?)", merchantId, "Fault test " + label);
            update(connection, "INSERT INTO api_keys (key_hash, merchant_id, environment, kind, key_prefix)"
                    + " VALUES (?, ?, 'TEST', 'SECRET', ?)", sha256(secretKey), merchantId, secretKey.substring(0, 21));
            update(connection, "INSERT INTO wallets (id, merchant_id, environment, wallet_type, label)"
                    + " VALUES (?, ?, 'TEST', 'SETTLEMENT', 'Settlement TEST')", walletId, merchantId);
        }
        return new Merchant(merchantId, secretKey, walletId);
    }

    /** Creates a webhook endpoint for collection events through the merchant API and returns its id. */
    static String createWebhookEndpoint(ApiProcess app, Merchant merchant, String url) throws Exception {
        String body = JSON.writeValueAsString(Map.of("endpoint", url, "collection_event", true));
        HttpRequest request = HttpRequest.newBuilder(app.uri("/api/v1/webhooks/"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + merchant.secretKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("webhook endpoint creation, body %s", response.body()).isIn(200, 201);
        return JSON.readTree(response.body()).path("id").asText();
    }

    /** One push as the load sends it; its idempotency key makes a retry after a lost reply safe. */
    record Push(int index, String phone, String amount, String apiRef, String idempotencyKey) {
    }

    /** The last reply to one push, after any retries, and every status seen on the way. */
    record Outcome(Push push, int status, String body, String invoiceId, List<String> attempts) {
    }

    /** What a load run sent and got back. */
    record LoadResult(List<Outcome> outcomes, Map<String, Integer> attemptCounts) {

        List<String> invoiceIds() {
            return outcomes.stream().map(Outcome::invoiceId).filter(id -> id != null).distinct().toList();
        }

        int attempts() {
            return attemptCounts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** How the load treats a failed request. */
    enum Retry {
        /** Each push is sent once. */
        NEVER,
        /**
         * A push whose connection failed or that got 503 is sent again with the same idempotency key, to the next
         * app that {@code targets} returns, every 500 ms until {@code retryFor} has passed.
         */
        ON_CONNECTION_FAILURE_OR_503
    }

    /**
     * Sends {@code count} pushes to new phones, spread evenly over {@code spread}, at most {@code concurrency} at
     * once, round robin over the apps that {@code targets} returns at the moment of each request.
     */
    static LoadResult runLoad(Supplier<List<ApiProcess>> targets, Merchant merchant, int count, int concurrency,
            Duration spread, Retry retry, Duration retryFor) throws Exception {
        String run = randomText(6, "abcdefghijkmnpqrstuvwxyz23456789");
        int phoneBase = 1_000_000 + RANDOM.nextInt(8_000_000);
        Map<String, Integer> attemptCounts = new ConcurrentHashMap<>();
        AtomicInteger roundRobin = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            Instant start = Instant.now();
            long gapNanos = count <= 1 ? 0 : spread.toNanos() / (count - 1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                // 25471 followed by seven digits: an ordinary number, clear of the simulator's 2547000 magic numbers.
                Push push = new Push(i, "25471" + String.format("%07d", (phoneBase + i) % 10_000_000),
                        Integer.toString(10 + (i % 40) * 7), "fault-" + run + "-" + i, UUID.randomUUID().toString());
                Instant due = start.plusNanos(gapNanos * i);
                futures.add(pool.submit(() -> {
                    sleepUntil(due);
                    return send(targets, roundRobin, merchant, push, retry, retryFor, attemptCounts);
                }));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
            return new LoadResult(outcomes, new TreeMap<>(attemptCounts));
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome send(Supplier<List<ApiProcess>> targets, AtomicInteger roundRobin, Merchant merchant,
            Push push, Retry retry, Duration retryFor, Map<String, Integer> attemptCounts) throws Exception {
        String body = JSON.writeValueAsString(Map.of("phone_number", push.phone(), "amount", push.amount(),
                "api_ref", push.apiRef()));
        Instant giveUp = Instant.now().plus(retryFor);
        List<String> attempts = new ArrayList<>();
        while (true) {
            List<ApiProcess> live = targets.get();
            ApiProcess app = live.get(Math.floorMod(roundRobin.getAndIncrement(), live.size()));
            HttpRequest request = HttpRequest.newBuilder(app.uri(PUSH_PATH))
                    .timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + merchant.secretKey())
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", push.idempotencyKey())
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            int status;
            String reply;
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                status = response.statusCode();
                reply = response.body();
                attemptCounts.merge("HTTP " + status, 1, Integer::sum);
                attempts.add(app.name() + ": " + status);
            } catch (IOException e) {
                status = 0;
                reply = e.toString();
                attemptCounts.merge("connection failed", 1, Integer::sum);
                attempts.add(app.name() + ": " + e.getClass().getSimpleName());
            }
            boolean retryable = status == 0 || status == 503;
            if (retry == Retry.NEVER || !retryable || Instant.now().isAfter(giveUp)) {
                return new Outcome(push, status, reply, invoiceIdOf(status, reply), attempts);
            }
            Thread.sleep(500);
        }
    }

    private static String invoiceIdOf(int status, String body) {
        if (status != 200 && status != 409) {
            return null;
        }
        try {
            JsonNode json = JSON.readTree(body);
            String id = status == 200 ? json.path("invoice").path("invoice_id").asText() : json.path("invoice_id").asText();
            return id.isEmpty() ? null : id;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Waits until every invariant holds for the merchant, then checks once more 2 s later, so that a state reached
     * while work was still settling does not pass alone. Returns the number of checks made.
     */
    static int assertInvariantsHold(Database db, Merchant merchant, Duration within) throws Exception {
        InvariantChecker checker = InvariantChecker.forMerchants(List.of(merchant.id()));
        try (Connection connection = db.connect()) {
            int checks = checker.awaitHolds(connection, within, Duration.ofSeconds(1));
            Thread.sleep(2000);
            checker.assertHolds(connection);
            return checks + 1;
        }
    }

    /** Fails if the simulator received a push for one invoice more than once. */
    static void assertPushedOnce(DarajaSimulatorHost daraja) {
        Map<String, Integer> twice = new TreeMap<>();
        daraja.pushesPerToken().forEach((token, pushes) -> {
            if (pushes > 1) {
                twice.put(token, pushes);
            }
        });
        assertThat(twice).as("callback tokens whose invoice the simulator received more than one push for").isEmpty();
    }

    /** Counts the merchant's invoices by state, and open attention items on them by kind. */
    static Map<String, Long> invoiceFigures(Database db, Merchant merchant) throws SQLException {
        Map<String, Long> figures = new TreeMap<>();
        try (Connection connection = db.connect()) {
            collect(connection, "SELECT 'invoices ' || state, count(*) FROM invoices WHERE merchant_id = ? GROUP BY state",
                    merchant.id(), figures);
            collect(connection, "SELECT 'outcome unknown', count(*) FROM invoices WHERE merchant_id = ? AND outcome_unknown",
                    merchant.id(), figures);
            collect(connection, "SELECT 'attention ' || a.kind, count(*) FROM attention_items a JOIN invoices i"
                    + " ON a.subject_type = 'invoice' AND a.subject_id = i.id WHERE i.merchant_id = ? GROUP BY a.kind",
                    merchant.id(), figures);
            collect(connection, "SELECT 'callbacks ' || c.outcome, count(*) FROM daraja_callbacks c JOIN invoices i"
                    + " ON i.id = c.invoice_id WHERE i.merchant_id = ? GROUP BY c.outcome", merchant.id(), figures);
            collect(connection, "SELECT 'webhook deliveries ' || d.status, count(*) FROM webhook_deliveries d"
                    + " JOIN invoices i ON i.id = d.invoice_id WHERE i.merchant_id = ? GROUP BY d.status",
                    merchant.id(), figures);
            collect(connection, "SELECT 'ledger credits', count(*) FROM ledger_entries l JOIN invoices i"
                    + " ON i.id = l.invoice_id WHERE i.merchant_id = ?", merchant.id(), figures);
        }
        return figures;
    }

    /**
     * Prints the figures of a run and appends them to {@code fault-figures.txt} in the log directory, the source of
     * the numbers in docs/reliability.md.
     */
    static void report(String test, Map<String, ?> figures) throws IOException {
        StringBuilder line = new StringBuilder(Instant.now() + " " + test + (LONG ? " (long)" : "") + ":");
        figures.forEach((name, value) -> line.append("\n  ").append(name).append(": ").append(value));
        String text = line.append('\n').toString();
        System.out.print(text);
        Files.writeString(logDir().resolve("fault-figures.txt"), text, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static void update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    /** Runs a query whose first column is a number and returns it, or 0 without a row. */
    static long count(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    private static void collect(Connection connection, String sql, String merchantId, Map<String, Long> into)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, merchantId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    into.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
    }

    private static void sleepUntil(Instant due) throws InterruptedException {
        long millis = Duration.between(Instant.now(), due).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    static String randomText(int length, String alphabet) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
