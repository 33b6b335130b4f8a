package co.malipo.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import co.malipo.core.callback.CallbackRepository;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.TimelineRepository;
import co.malipo.core.ledger.LedgerRepository;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.simulator.DarajaSimulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The magic test numbers, end to end through the simulator over real HTTP. */
@QuarkusTest
class SimulatorScenariosTest {

    @Inject
    TestMerchants testMerchants;
    @Inject
    DarajaSimulator simulator;
    @Inject
    InvoiceRepository invoices;
    @Inject
    TimelineRepository timeline;
    @Inject
    LedgerRepository ledger;
    @Inject
    CallbackRepository callbacks;
    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    NewMerchant merchant;

    @BeforeEach
    void createMerchant() {
        merchant = testMerchants.create("Scenario Shop");
    }

    @Test
    void darajaRequestHasNoEmptyField() {
        Response pushed = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000401", "amount", "10.01",
                "api_ref", "Invoice #2024/007 for école"));
        String id = pushed.path("invoice.invoice_id");
        Api.awaitState(merchant.testSecretKey(), id, "COMPLETE", Duration.ofSeconds(15));

        JsonNode request = simulator.lastPushTo("254712000401").orElseThrow();
        assertThat(request.size()).isEqualTo(11);
        for (Iterator<Map.Entry<String, JsonNode>> it = request.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            assertThat(field.getValue().isNull()).as(field.getKey()).isFalse();
            assertThat(field.getValue().asText()).as(field.getKey()).isNotBlank();
        }
        assertThat(request.get("Amount").asText()).isEqualTo("11");
        assertThat(request.get("AccountReference").asText()).isEqualTo("Invoice20240");
        assertThat(request.get("TransactionDesc").asText()).hasSize(13);
        assertThat(request.get("CallBackURL").asText()).startsWith("http://127.0.0.1:" + port + "/daraja/callback/");
    }

    @Test
    void resultCodeNumberFailsWithThatCode() {
        String id = Api.push(merchant.testSecretKey(), Map.of("phone_number", "254700101032", "amount", "10"))
                .path("invoice.invoice_id");

        Response failed = Api.awaitState(merchant.testSecretKey(), id, "FAILED", Duration.ofSeconds(15));

        assertThat(failed.<String>path("invoice.state")).as(failed.asString()).isEqualTo("FAILED");
        assertThat(failed.<String>path("invoice.failed_code")).isEqualTo("1032");
        assertThat(failed.<String>path("invoice.failed_reason")).isEqualTo("Request cancelled by user");
    }

    @Test
    void tripleCallbackCreditsOnce() {
        String id = Api.push(merchant.testSecretKey(), Map.of("phone_number", "254700200002", "amount", "10"))
                .path("invoice.invoice_id");

        Response done = Api.awaitState(merchant.testSecretKey(), id, "COMPLETE", Duration.ofSeconds(15));
        Invoice invoice = invoices.find(id).orElseThrow();
        awaitCallbacks(invoice.callbackToken(), 3);

        assertThat(done.<String>path("invoice.state")).isEqualTo("COMPLETE");
        assertThat(callbacks.countForToken(invoice.callbackToken())).isEqualTo(3);
        assertThat(ledger.countCredits(id)).isEqualTo(1);
    }

    @Test
    void timedOutPushCompletesByCallbackToken() {
        String id = Api.push(merchant.testSecretKey(), Map.of("phone_number", "254700200006", "amount", "10"))
                .path("invoice.invoice_id");

        Response done = Api.awaitState(merchant.testSecretKey(), id, "COMPLETE", Duration.ofSeconds(20));
        awaitTimeline(id, "PUSH_OUTCOME_UNKNOWN");
        Invoice invoice = invoices.find(id).orElseThrow();

        assertThat(done.<String>path("invoice.state")).as(done.asString()).isEqualTo("COMPLETE");
        assertThat(invoice.checkoutRequestId()).as("recorded from the callback").startsWith("ws_CO_");
        assertThat(timeline.list(id)).extracting(TimelineRepository.Entry::kind).contains("PUSH_OUTCOME_UNKNOWN");
        assertThat(ledger.countCredits(id)).isEqualTo(1);
    }

    @Test
    void slowReplyHoldsOnlyItsSlot() {
        String slow = Api.push(merchant.testSecretKey(), Map.of("phone_number", "254700200006", "amount", "11"))
                .path("invoice.invoice_id");
        Api.sleep(300);
        String quick = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000405", "amount", "11"))
                .path("invoice.invoice_id");

        awaitTimeline(quick, "PUSH_ACCEPTED");
        awaitTimeline(slow, "PUSH_OUTCOME_UNKNOWN");

        assertThat(entryTime(quick, "PUSH_ACCEPTED"))
                .as("the second push was sent while the first still waited for its reply")
                .isBefore(entryTime(slow, "PUSH_OUTCOME_UNKNOWN"));
    }

    @Test
    void expiredTokenRefreshedOnce() {
        String first = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000402", "amount", "10"))
                .path("invoice.invoice_id");
        Api.awaitState(merchant.testSecretKey(), first, "PROCESSING", Duration.ofSeconds(10));
        int tokensBefore = simulator.tokensIssued();
        simulator.expireAllTokens();

        String second = Api.push(merchant.testSecretKey(), Map.of("phone_number", "0712000403", "amount", "10"))
                .path("invoice.invoice_id");
        Response done = Api.awaitState(merchant.testSecretKey(), second, "COMPLETE", Duration.ofSeconds(15));

        assertThat(done.<String>path("invoice.state")).as(done.asString()).isEqualTo("COMPLETE");
        assertThat(simulator.tokensIssued()).isEqualTo(tokensBefore + 1);
    }

    @Test
    void chunkedBodyAccepted() throws Exception {
        byte[] body = "{\"phone_number\": \"0712000404\", \"amount\": \"10\"}".getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + Api.PUSH))
                .header("Authorization", "Bearer " + merchant.testSecretKey())
                .header("Content-Type", "application/json")
                // A stream of unknown length is sent with Transfer-Encoding: chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"state\":\"PENDING\"");
    }

    @Test
    void openApiDocumentServed() {
        Response openApi = io.restassured.RestAssured.given().accept("application/json").when().get("/q/openapi");

        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.asString()).contains("\"/api/v1/payment/mpesa-stk-push\"")
                .contains("\"/api/v1/payment/status\"").contains("\"/api/v1/payment/collection/stk-push\"")
                .contains("StkPushRequest").contains("mobile_tarrif");
    }

    private java.time.Instant entryTime(String invoiceId, String kind) {
        return timeline.list(invoiceId).stream().filter(entry -> entry.kind().equals(kind)).findFirst().orElseThrow().at();
    }

    private void awaitTimeline(String invoiceId, String kind) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (timeline.list(invoiceId).stream().noneMatch(entry -> entry.kind().equals(kind))
                && System.currentTimeMillis() < deadline) {
            Api.sleep(100);
        }
    }

    private void awaitCallbacks(String token, int expected) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (callbacks.countForToken(token) < expected && System.currentTimeMillis() < deadline) {
            Api.sleep(100);
        }
    }
}
