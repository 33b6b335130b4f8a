package co.malipo.api;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import co.malipo.core.daraja.DarajaTime;
import co.malipo.core.invoice.Invoice;
import co.malipo.core.attention.AttentionRepository;
import co.malipo.core.invoice.InvoiceRepository;
import co.malipo.core.invoice.TimelineRepository;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.simulator.DarajaSimulator;
import co.malipo.core.support.Db;
import co.malipo.core.support.Ids;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** Live keys reach the live Daraja account (a stub speaking Daraja's wire format), never the simulator. */
@QuarkusTest
@TestProfile(LivePushTest.LiveProfile.class)
class LivePushTest {

    /** A profile of its own, so the stub's settings apply only to this class. */
    public static class LiveProfile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LiveDarajaStub.class));
        }
    }

    @Inject
    TestMerchants testMerchants;
    @Inject
    InvoiceRepository invoices;
    @Inject
    DarajaSimulator simulator;
    @Inject
    Db db;
    @Inject
    TestClock clock;
    @Inject
    TimelineRepository timeline;
    @Inject
    AttentionRepository attention;
    @Inject
    co.malipo.core.reconcile.StatusPoller poller;
    @Inject
    co.malipo.core.ledger.LedgerRepository ledger;

    @Test
    void livePushReachesLiveDaraja() throws Exception {
        NewMerchant merchant = testMerchants.create("Live Shop");
        String id = Api.push(merchant.liveSecretKey(), Map.of("phone_number", "0712000501", "amount", "100"))
                .path("invoice.invoice_id");

        Response processing = Api.awaitState(merchant.liveSecretKey(), id, "PROCESSING", Duration.ofSeconds(10));
        assertThat(processing.<String>path("invoice.state")).as(processing.asString()).isEqualTo("PROCESSING");

        JsonNode sent = lastPushTo("254712000501");
        String timestamp = sent.get("Timestamp").asText();
        String expectedPassword = Base64.getEncoder().encodeToString(
                (LiveDarajaStub.SHORTCODE + LiveDarajaStub.PASSKEY + timestamp).getBytes());
        assertThat(sent.get("Password").asText()).isEqualTo(expectedPassword);
        assertThat(Duration.between(DarajaTime.parseTimestamp(timestamp), java.time.Instant.now()).abs())
                .isLessThan(Duration.ofMinutes(1));
        assertThat(sent.get("BusinessShortCode").asText()).isEqualTo(LiveDarajaStub.SHORTCODE);
        assertThat(sent.get("CallBackURL").asText()).startsWith("https://pay.example.co.ke/daraja/callback/");
        assertThat(simulator.lastPushTo("254712000501")).as("live pushes never reach the simulator").isEmpty();

        Invoice invoice = invoices.find(id).orElseThrow();
        String receipt = Ids.receipt();
        given().contentType("application/json").body(successCallback(invoice.checkoutRequestId(), receipt))
                .when().post("/daraja/callback/" + invoice.callbackToken()).then().statusCode(200);
        Response done = Api.status(merchant.liveSecretKey(), id);
        assertThat(done.<String>path("invoice.state")).isEqualTo("COMPLETE");
        assertThat(done.<String>path("invoice.mpesa_reference")).isEqualTo(receipt);
    }

    @Test
    void queryResultsSettleLostCallbacks() {
        NewMerchant merchant = testMerchants.create("Query Shop");
        Map<String, String> expected = Map.of("0712000701", "FAILED:1019", "0712000702", "FAILED:1032",
                "0712000703", "COMPLETE:");
        Map<String, String> ids = new java.util.HashMap<>();
        for (String phone : expected.keySet()) {
            String id = Api.push(merchant.liveSecretKey(), Map.of("phone_number", phone, "amount", "100"))
                    .path("invoice.invoice_id");
            Api.awaitState(merchant.liveSecretKey(), id, "PROCESSING", Duration.ofSeconds(10));
            ids.put(phone, id);
        }

        clock.advance(Duration.ofSeconds(31));
        poller.runOnce();

        for (Map.Entry<String, String> entry : expected.entrySet()) {
            Response status = Api.status(merchant.liveSecretKey(), ids.get(entry.getKey()));
            String[] stateAndCode = entry.getValue().split(":", -1);
            assertThat(status.<String>path("invoice.state")).as(entry.getKey()).isEqualTo(stateAndCode[0]);
            if (!stateAndCode[1].isEmpty()) {
                assertThat(status.<String>path("invoice.failed_code")).as(entry.getKey()).isEqualTo(stateAndCode[1]);
            }
        }
        assertThat(ledger.countCredits(ids.get("0712000703"))).isEqualTo(1);
        assertThat(ledger.countCredits(ids.get("0712000701"))).isZero();
    }

    @Test
    void unknownOutcomeListedAfterWaiting() {
        NewMerchant merchant = testMerchants.create("Silent Reply Shop");
        String id = Api.push(merchant.liveSecretKey(), Map.of("phone_number", "0712000704", "amount", "100"))
                .path("invoice.invoice_id");
        awaitTimeline(id, "PUSH_OUTCOME_UNKNOWN");

        clock.advance(Duration.ofMinutes(11));
        poller.runOnce();

        assertThat(Api.status(merchant.liveSecretKey(), id).<String>path("invoice.state")).isEqualTo("PENDING");
        assertThat(attention.listOpen("invoice", id)).extracting(AttentionRepository.Item::kind)
                .containsExactly("OUTCOME_UNKNOWN");
    }

    @Test
    void unknownOutcomeSettledByCallbackToken() {
        NewMerchant merchant = testMerchants.create("Late Reply Shop");
        Map<String, String> body = Map.of("phone_number", "0712000705", "amount", "100", "api_ref", "order-705");
        String id = Api.push(merchant.liveSecretKey(), body).path("invoice.invoice_id");
        awaitTimeline(id, "PUSH_OUTCOME_UNKNOWN");

        Response second = Api.push(merchant.liveSecretKey(), body);
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.<String>path("invoice_id")).isEqualTo(id);

        clock.advance(Duration.ofSeconds(30));
        Invoice invoice = invoices.find(id).orElseThrow();
        String neverSeen = "ws_CO_" + Ids.random("0123456789", 22);
        String receipt = Ids.receipt();
        given().contentType("application/json").body(successCallback(neverSeen, receipt))
                .when().post("/daraja/callback/" + invoice.callbackToken()).then().statusCode(200);

        Response done = Api.status(merchant.liveSecretKey(), id);
        assertThat(done.<String>path("invoice.state")).isEqualTo("COMPLETE");
        assertThat(invoices.find(id).orElseThrow().checkoutRequestId()).isEqualTo(neverSeen);
        assertThat(pushesTo("254712000705")).as("the customer was prompted once").isEqualTo(1);
    }

    @Test
    void unreachableDarajaRetriedThenFailed() {
        NewMerchant merchant = testMerchants.create("Unreachable Shop");
        db.update("UPDATE merchants SET daraja_account = 'unreachable' WHERE id = ?", merchant.merchantId());
        String id = Api.push(merchant.liveSecretKey(), Map.of("phone_number", "0712000502", "amount", "100"))
                .path("invoice.invoice_id");

        Response failed = Api.awaitState(merchant.liveSecretKey(), id, "FAILED", Duration.ofSeconds(20));

        assertThat(failed.<String>path("invoice.state")).as(failed.asString()).isEqualTo("FAILED");
        assertThat(failed.<String>path("invoice.failed_code")).isEqualTo("NOT_SENT");
        int tries = db.one("SELECT send_tries FROM push_jobs WHERE invoice_id = ?", row -> row.getInt(1), id).orElseThrow();
        assertThat(tries).as("retried while the connection was refused").isGreaterThan(1);
    }

    private void awaitTimeline(String invoiceId, String kind) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (timeline.list(invoiceId).stream().noneMatch(entry -> entry.kind().equals(kind))
                && System.currentTimeMillis() < deadline) {
            Api.sleep(100);
        }
        assertThat(timeline.list(invoiceId)).extracting(TimelineRepository.Entry::kind).contains(kind);
    }

    private static long pushesTo(String phone) {
        return LiveDarajaStub.server.findAll(postRequestedFor(urlPathEqualTo("/mpesa/stkpush/v1/processrequest")))
                .stream().filter(request -> request.getBodyAsString().contains("\"PartyA\":\"" + phone + "\"")).count();
    }

    private static JsonNode lastPushTo(String phone) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<LoggedRequest> requests = LiveDarajaStub.server.findAll(
                postRequestedFor(urlPathEqualTo("/mpesa/stkpush/v1/processrequest")));
        JsonNode last = null;
        for (LoggedRequest request : requests) {
            JsonNode body = mapper.readTree(request.getBodyAsString());
            if (phone.equals(body.get("PartyA").asText())) {
                last = body;
            }
        }
        assertThat(last).as("a push to %s reached the live stub", phone).isNotNull();
        return last;
    }

    private static String successCallback(String checkoutRequestId, String receipt) {
        return "{\"Body\": {\"stkCallback\": {\"MerchantRequestID\": \"2654-4b64-97ff-b827b542881d3130\","
                + " \"CheckoutRequestID\": \"" + checkoutRequestId + "\", \"ResultCode\": 0,"
                + " \"ResultDesc\": \"The service request is processed successfully.\","
                + " \"CallbackMetadata\": {\"Item\": [{\"Name\": \"Amount\", \"Value\": 100.00},"
                + " {\"Name\": \"MpesaReceiptNumber\", \"Value\": \"" + receipt + "\"}, {\"Name\": \"Balance\"},"
                + " {\"Name\": \"TransactionDate\", \"Value\": 20240302013000},"
                + " {\"Name\": \"PhoneNumber\", \"Value\": 254712000502}]}}}}";
    }
}
