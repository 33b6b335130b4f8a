package co.malipo.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.json.JsonMapper;

import co.malipo.admin.auth.Role;
import co.malipo.admin.auth.UserService;
import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.invoice.Channel;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import co.malipo.core.webhook.WebhookEndpointService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Drives the dashboard in headless Chromium with JavaScript off, through src/test/node/dashboard.mjs
 * (playwright-core, version pinned in src/test/node/package.json): sign in, filter, export, open an
 * invoice, replay its webhook delivery and resolve a needs-attention item. Screenshots go to
 * target/screenshots. Needs {@code /usr/bin/chromium} and {@code npm ci} in src/test/node, which
 * deploy/test.sh installs.
 */
@QuarkusTest
class DashboardBrowserTest {

    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final long TIMEOUT_SECONDS = 120;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    UserService users;
    @Inject
    TestInvoices data;
    @Inject
    WebhookEndpointService endpoints;
    @Inject
    AttentionRepository attention;
    @Inject
    Db db;

    @Test
    void financeUserWorksThroughDashboard() throws IOException, InterruptedException {
        requireBrowserTools();
        NewMerchant merchant = data.merchant("Browser \"Test\" Shop");
        endpoints.create(merchant.merchantId(), Environment.TEST, JsonMapper.builder().build().createObjectNode()
                .put("endpoint", "http://127.0.0.1:" + port + "/test-hooks/ok"));
        String invoice = data.pushed(merchant.merchantId(), "254706000301", "<script>alert(1)</script>", 120).id();
        awaitDelivered(invoice);
        String other = data.parked(merchant.merchantId(), Channel.API, "254706000302", "needs-a-look", 80).id();
        QuarkusTransaction.requiringNew().run(() -> attention.open("invoice", other,
                AttentionRepository.Kind.OPEN_TOO_LONG, "{\"note\": \"browser test\"}", Instant.now()));
        long item = db.one("SELECT id FROM attention_items WHERE subject_id = ?", row -> row.getLong(1), other)
                .orElseThrow();
        String user = TestUsers.create(users, Role.FINANCE, "browser");

        String output = runScript(user, invoice, item);

        assertThat(output).contains("signed in", "exported 1 invoice", "replayed a webhook delivery",
                "resolved needs-attention item " + item);
        assertThat(db.one("SELECT resolved_by FROM attention_items WHERE id = ?", row -> row.getString(1), item))
                .contains(user);
        assertThat(db.list("SELECT action FROM audit_log WHERE actor = ?", row -> row.getString(1), user))
                .contains("LOGIN", "INVOICES_EXPORTED", "WEBHOOK_REPLAYED", "ATTENTION_RESOLVED");
        for (String page : List.of("login", "overview", "invoices", "invoice", "invoice-replayed", "attention")) {
            assertThat(SCREENSHOTS.resolve(page + ".png")).as("screenshot of " + page).isNotEmptyFile();
        }
    }

    private void awaitDelivered(String invoice) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (db.one("SELECT count(*) FROM webhook_deliveries d JOIN invoices i ON i.id = d.invoice_id"
                + " WHERE i.id = ? AND i.state = 'COMPLETE' AND d.status = 'DELIVERED'", row -> row.getLong(1), invoice)
                .orElse(0L) == 0) {
            if (Instant.now().isAfter(deadline)) {
                fail("invoice " + invoice + " did not complete with a delivered webhook within 30 s");
            }
            Thread.sleep(200);
        }
    }

    private static void requireBrowserTools() {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Missing " + CHROMIUM + ": install Debian's chromium package (apt-get install chromium),"
                    + " as deploy/test.sh does when run as root");
        }
        Path playwright = NODE_DIR.resolve("node_modules/playwright-core");
        if (!Files.isDirectory(playwright)) {
            fail("Missing " + playwright.toAbsolutePath() + ": run `npm ci` in " + NODE_DIR.toAbsolutePath());
        }
    }

    private String runScript(String user, String invoice, long attentionItem)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("dashboard", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder("node", "dashboard.mjs")
                    .directory(NODE_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("MALIPO_BASE_URL", "http://127.0.0.1:" + port);
            builder.environment().put("MALIPO_USER", user);
            builder.environment().put("MALIPO_PASSWORD", TestUsers.PASSWORD);
            builder.environment().put("MALIPO_PHONE_PREFIX", "0706000301");
            builder.environment().put("MALIPO_INVOICE", invoice);
            builder.environment().put("MALIPO_ATTENTION_ITEM", Long.toString(attentionItem));
            builder.environment().put("SCREENSHOT_DIR", SCREENSHOTS.toAbsolutePath().toString());
            builder.environment().put("CHROMIUM_PATH", CHROMIUM.toString());

            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new AssertionError("Failed to start `node dashboard.mjs`: install Node.js and put `node`"
                        + " on the PATH (" + e.getMessage() + ")", e);
            }
            boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);

            assertThat(finished).as("node dashboard.mjs timed out after %d s. Output:%n%s", TIMEOUT_SECONDS, output)
                    .isTrue();
            assertThat(process.exitValue()).as("node dashboard.mjs exit code. Output:%n%s", output).isZero();
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
