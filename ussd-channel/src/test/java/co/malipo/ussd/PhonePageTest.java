package co.malipo.ussd;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.hamcrest.Matchers.containsString;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import co.malipo.core.channel.ChannelBusinessRepository;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.MerchantService;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.simulator.AfricasTalkingSimulator;
import co.malipo.core.simulator.DarajaSimulator;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Drives the phone page in headless Chromium with src/test/node/phone-page.mjs (playwright-core,
 * version pinned in src/test/node/package.json) until a USSD payment completes and its receipt
 * shows in the page's inbox. Needs {@code /usr/bin/chromium} and {@code npm ci} in src/test/node,
 * which deploy/test.sh installs.
 */
@QuarkusTest
class PhonePageTest {

    private static final Path NODE_DIR = Path.of("src/test/node");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 90;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    MerchantService merchantService;
    @Inject
    ChannelBusinessRepository businesses;
    @Inject
    DarajaSimulator simulator;
    @Inject
    AfricasTalkingSimulator smsSimulator;
    @Inject
    Db db;

    @Test
    void browserCompletesPayment() throws IOException, InterruptedException {
        requireBrowserTools();
        NewMerchant merchant = merchantService.createMerchant("Phone Page Shop", "default");
        QuarkusTransaction.requiringNew().run(() -> businesses.insert("5091", merchant.merchantId(), Environment.TEST,
                "Phone Page Shop", false, null, "en"));

        String output = runScript("+254700000091", "5091");

        List<String> invoices = db.list("SELECT id FROM invoices WHERE phone = ?", row -> row.getString(1),
                "254700000091");
        assertThat(invoices).as("invoices to the phone. Script output:%n%s", output).hasSize(1);
        long pushes = simulator.receivedPushes().stream()
                .filter(body -> "254700000091".equals(body.path("PhoneNumber").asText()))
                .count();
        assertThat(pushes).as("pushes that reached the Daraja simulator").isEqualTo(1);
        assertThat(output).contains("inbox: Paid KES 500 to Phone Page Shop.");
    }

    @Test
    void pageAndInboxServedInTestMode() {
        given().when().get("/phone/").then().statusCode(200).body(containsString("id=\"dial\""));
        given().queryParam("phone", "0700000042").when().get("/phone/messages").then().statusCode(200)
                .body(containsString("[]"));
        given().queryParam("phone", "12345").when().get("/phone/messages").then().statusCode(400);
    }

    @Test
    void disabledSimulatorHidesPage() {
        PhonePageResource resource = new PhonePageResource(false, smsSimulator, "token");

        assertThatThrownBy(resource::page).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> resource.messages("+254700000042")).isInstanceOf(NotFoundException.class);
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

    private String runScript(String phone, String business) throws IOException, InterruptedException {
        Path log = Files.createTempFile("phone-page", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder("node", "phone-page.mjs")
                    .directory(NODE_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("MALIPO_BASE_URL", "http://127.0.0.1:" + port);
            builder.environment().put("MALIPO_PHONE", phone);
            builder.environment().put("MALIPO_BUSINESS", business);
            builder.environment().put("CHROMIUM_PATH", CHROMIUM.toString());

            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new AssertionError("Failed to start `node phone-page.mjs`: install Node.js and put `node`"
                        + " on the PATH (" + e.getMessage() + ")", e);
            }
            boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);

            assertThat(finished).as("node phone-page.mjs timed out after %d s. Output:%n%s", TIMEOUT_SECONDS, output)
                    .isTrue();
            assertThat(process.exitValue()).as("node phone-page.mjs exit code. Output:%n%s", output).isZero();
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
