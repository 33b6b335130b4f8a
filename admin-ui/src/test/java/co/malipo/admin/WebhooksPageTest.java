package co.malipo.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.json.JsonMapper;

import co.malipo.admin.auth.Role;
import co.malipo.admin.auth.UserService;
import co.malipo.core.merchant.Environment;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import co.malipo.core.webhook.DeliveryRepository;
import co.malipo.core.webhook.WebhookEndpointService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class WebhooksPageTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    UserService users;
    @Inject
    TestInvoices data;
    @Inject
    WebhookEndpointService endpoints;
    @Inject
    DeliveryRepository deliveries;
    @Inject
    Db db;

    private static String endpointId;
    private static UUID failedDelivery;

    @BeforeEach
    void createFailedDelivery() throws InterruptedException {
        if (failedDelivery != null) {
            return;
        }
        NewMerchant merchant = data.merchant("Webhook Page Shop");
        endpointId = endpoints.create(merchant.merchantId(), Environment.TEST, JsonMapper.builder().build()
                .createObjectNode().put("endpoint", "http://127.0.0.1:" + port + "/test-hooks/down")).endpoint().id();
        String invoice = data.pushed(merchant.merchantId(), "254705000401", "webhook-page", 100).id();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (failedDelivery == null) {
            failedDelivery = db.one("SELECT id FROM webhook_deliveries WHERE invoice_id = ? AND status = 'FAILED'"
                    + " ORDER BY sequence DESC LIMIT 1", row -> row.getObject(1, UUID.class), invoice).orElse(null);
            if (failedDelivery == null && Instant.now().isAfter(deadline)) {
                throw new AssertionError("no delivery of invoice " + invoice + " failed within 60 s");
            }
            Thread.sleep(250);
        }
    }

    @Test
    void supportSeesFailuresButCannotReplay() {
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "hooksupport"),
                TestUsers.PASSWORD);
        String html = session.get("/webhooks").then().statusCode(200).extract().asString();
        assertThat(html).contains("/test-hooks/down").contains("Webhook Page Shop");
        assertThat(html).doesNotContain("name=\"delivery\"");
        assertThat(session.postRepeated("/webhooks/replay", "delivery", List.of(failedDelivery.toString()))
                .statusCode()).isEqualTo(403);
    }

    @Test
    void bulkReplayQueuesSelectedDeliveries() {
        String name = TestUsers.create(users, Role.FINANCE, "bulkreplay");
        StaffSession session = StaffSession.signIn(name, TestUsers.PASSWORD);
        String html = session.get("/webhooks").asString();
        assertThat(html).contains("value=\"" + failedDelivery + "\"");

        Response response = session.postRepeated("/webhooks/replay", "delivery",
                List.of(failedDelivery.toString(), "not-a-uuid"));

        assertThat(response.statusCode()).as("an invalid id is reported").isEqualTo(400);
        assertThat(response.asString()).contains("REPLAYED 1").contains("not-a-uuid");
        assertThat(db.one("SELECT replayed_at IS NOT NULL FROM webhook_deliveries WHERE id = ?",
                row -> row.getBoolean(1), failedDelivery)).contains(true);
        assertThat(db.list("SELECT action FROM audit_log WHERE actor = ?", row -> row.getString(1), name))
                .contains("WEBHOOK_REPLAYED");
        assertThat(session.postRepeated("/webhooks/replay", "delivery", List.of()).statusCode()).isEqualTo(400);
    }

    @Test
    void disabledEndpointCanBeReenabled() {
        QuarkusTransaction.requiringNew().run(() -> deliveries.disable(endpointId, Instant.now()));
        String name = TestUsers.create(users, Role.ADMIN, "reenable");
        StaffSession session = StaffSession.signIn(name, TestUsers.PASSWORD);
        assertThat(session.get("/webhooks").asString()).contains("action=\"/webhooks/endpoints/" + endpointId
                + "/enable\"");

        session.post("/webhooks/endpoints/" + endpointId + "/enable", Map.of()).then().statusCode(200);

        assertThat(db.one("SELECT is_active FROM webhook_endpoints WHERE id = ?", row -> row.getBoolean(1),
                endpointId)).contains(true);
        assertThat(db.list("SELECT action FROM audit_log WHERE actor = ?", row -> row.getString(1), name))
                .contains("WEBHOOK_ENDPOINT_ENABLED");
        assertThat(session.postWithoutToken("/webhooks/endpoints/" + endpointId + "/enable", Map.of()).statusCode())
                .as("without the CSRF token").isEqualTo(400);
    }
}
