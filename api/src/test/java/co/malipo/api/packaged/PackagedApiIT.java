package co.malipo.api.packaged;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Runs the packaged api jar in the prod profile against PostgreSQL: health, metrics, API docs and one
 * push with the demo test key that the simulator inside the jar completes, logged as JSON lines.
 */
@QuarkusIntegrationTest
@WithTestResource(PackagedApiSettings.class)
class PackagedApiIT {

    private static final String SECRET_KEY = "ISSecretKey_test_DemoShopSecretKey0000000000000000";
    private static final String PUBLIC_KEY = "ISPubKey_test_DemoShopPublicKey00000000000000000";
    private static final String PHONE = "254711000907";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readinessChecksOnlyDatabase() {
        JsonPath health = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();

        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getList("checks.name", String.class)).containsExactly("Database connections health check");
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void providersGroupListsBothProviders() {
        JsonPath providers = given().get("/q/health/group/providers").then().statusCode(200).extract().jsonPath();

        assertThat(providers.getList("checks.name", String.class)).containsExactlyInAnyOrder("daraja", "africas-talking");
    }

    @Test
    void apiDocsServedInProd() {
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void pushCompletesAndShowsInMetrics() throws InterruptedException {
        Response push = given()
                .header("Authorization", "Bearer " + SECRET_KEY)
                .header("X-Request-Id", "packaged-it-push-1")
                .contentType("application/json")
                .body("{\"phone_number\": \"" + PHONE + "\", \"amount\": \"100\", \"api_ref\": \"packaged-it\"}")
                .post("/api/v1/payment/mpesa-stk-push/");

        assertThat(push.statusCode()).as(push.asString()).isEqualTo(200);
        assertThat(push.header("X-Request-Id")).isEqualTo("packaged-it-push-1");
        String invoiceId = push.jsonPath().getString("invoice.invoice_id");
        assertThat(invoiceId).isNotBlank();

        assertThat(waitForState(invoiceId, "COMPLETE", Duration.ofSeconds(30))).isEqualTo("COMPLETE");

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(sample(metrics, "malipo_push_outcomes_total{outcome=\"accepted\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(sample(metrics, "malipo_invoice_time_to_final_seconds_count{channel=\"API\",state=\"COMPLETE\"}"))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(sample(metrics, "malipo_callback_delay_seconds_count{environment=\"test\"}")).isGreaterThanOrEqualTo(1.0);
        assertThat(sample(metrics, "malipo_provider_up{provider=\"daraja\"}")).isEqualTo(1.0);
        assertThat(metrics).contains("malipo_invoices_open{state=\"PENDING\"}");
        assertThat(metrics).contains("malipo_webhooks_backlog");

        JsonNode callbackLine = jsonLogLine("Callback", "for invoice " + invoiceId);
        assertThat(callbackLine.path("level").asText()).isEqualTo("INFO");
        assertThat(callbackLine.path("mdc").path("requestId").asText()).isNotBlank();
    }

    @Test
    void generatedRequestIdEchoed() {
        String id = given().get("/q/health/live").then().extract().header("X-Request-Id");

        assertThat(id).matches("[0-9a-f-]{36}");
    }

    private static String waitForState(String invoiceId, String expected, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String state = null;
        while (Instant.now().isBefore(deadline)) {
            state = given()
                    .header("X-KULMI-PUBLIC-API-KEY", PUBLIC_KEY)
                    .contentType("application/json")
                    .body("{\"invoice_id\": \"" + invoiceId + "\"}")
                    .post("/api/v1/payment/status/")
                    .then().statusCode(200).extract().jsonPath().getString("invoice.state");
            if (expected.equals(state)) {
                return state;
            }
            Thread.sleep(250);
        }
        return state;
    }

    /**
     * Returns the first JSON line of the jar's console log (which the launcher writes to
     * target/quarkus.log) whose message contains both texts. Every line must be JSON in the prod profile.
     */
    private static JsonNode jsonLogLine(String first, String second) throws InterruptedException {
        Path log = Path.of("target", "quarkus.log");
        Instant deadline = Instant.now().plusSeconds(5);
        while (true) {
            List<String> lines;
            try {
                lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines) {
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new AssertionError("log line is not JSON: " + line, e);
                }
                String message = node.path("message").asText();
                if (message.contains(first) && message.contains(second)) {
                    return node;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no log line in " + log + " contains '" + first + "' and '" + second + "'");
            }
            Thread.sleep(200);
        }
    }

    /** Returns the value of one Prometheus sample, or fails when the exposition has no such line. */
    static double sample(String exposition, String series) {
        List<String> lines = exposition.lines().filter(line -> line.startsWith(series + " ")).toList();
        assertThat(lines).as("lines of " + series).hasSize(1);
        return Double.parseDouble(lines.get(0).substring(series.length() + 1).trim());
    }
}
