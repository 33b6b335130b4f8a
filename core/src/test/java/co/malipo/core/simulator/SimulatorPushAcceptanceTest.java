package co.malipo.core.simulator;

import static co.malipo.core.simulator.SimulatorFixture.CALLBACK_URL;
import static co.malipo.core.simulator.SimulatorFixture.PHONE;
import static co.malipo.core.simulator.SimulatorTokenTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class SimulatorPushAcceptanceTest {

    private final SimulatorFixture fixture = new SimulatorFixture();
    private final DarajaSimulator simulator = fixture.simulator;

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void acceptedPushReplyHasDarajaShape() {
        SimulatorReply reply = fixture.push(fixture.pushBody(PHONE, CALLBACK_URL));
        JsonNode body = reply.body();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(body.get("MerchantRequestID").asText())
                .matches("[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\d{1,4}");
        assertThat(body.get("CheckoutRequestID").asText()).isEqualTo("ws_CO_14032025123000000" + PHONE);
        assertThat(body.get("ResponseCode").asText()).isEqualTo("0");
        assertThat(body.get("ResponseCode").isTextual()).isTrue();
        assertThat(body.get("ResponseDescription").asText()).isEqualTo("Success. Request accepted for processing");
        assertThat(body.get("CustomerMessage").asText()).isEqualTo("Success. Request accepted for processing");
    }

    @Test
    void checkoutRequestIdsUniqueWithinOneMillisecond() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(fixture.acceptedPush(PHONE, CALLBACK_URL));
        }

        assertThat(ids).hasSize(5);
        assertThat(ids).allMatch(id -> id.matches("ws_CO_\\d{17}" + PHONE));
    }

    @Test
    void receiptNumbersUniqueAndWellFormed() {
        Set<String> receipts = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String checkoutRequestId = fixture.acceptedPush(PHONE, CALLBACK_URL);
            receipts.add(simulator.receiptFor(checkoutRequestId).orElseThrow());
        }

        assertThat(receipts).hasSize(50);
        assertThat(receipts).allMatch(receipt -> receipt.matches("[A-Z0-9]{10}"));
    }

    @Test
    void subscriberLockedNumberRejectsPush() {
        SimulatorReply reply = fixture.push(fixture.pushBody("254700300001", CALLBACK_URL));

        assertError(reply, 500, "500.001.1001",
                "Unable to lock subscriber, a transaction is already in process for the current subscriber");
    }

    @Test
    void wrongCredentialsNumberRejectsPush() {
        SimulatorReply reply = fixture.push(fixture.pushBody("254700300002", CALLBACK_URL));

        assertError(reply, 500, "500.001.1001", "[MerchantValidate] - Wrong credentials");
    }

    @Test
    void lastPushToKeepsPasswordAndFields() {
        JsonNode sent = fixture.pushBody(PHONE, CALLBACK_URL);
        fixture.push(sent);

        JsonNode recorded = simulator.lastPushTo(PHONE).orElseThrow();

        assertThat(recorded.toString()).isEqualTo(sent.toString());
        assertThat(recorded.get("Password").asText()).isNotBlank();
        assertThat(simulator.lastPushTo("254711111111")).isEmpty();
    }

    @Test
    void lastPushToReturnsLatest() {
        fixture.push(fixture.pushBody(PHONE, CALLBACK_URL));
        JsonNode second = fixture.pushBody(PHONE, CALLBACK_URL).put("AccountReference", "SECOND");
        fixture.push(second);

        assertThat(simulator.lastPushTo(PHONE).orElseThrow().get("AccountReference").asText()).isEqualTo("SECOND");
        assertThat(simulator.receivedPushes()).hasSize(2);
    }

    @Test
    void receivedPushesAreCopies() {
        fixture.push(fixture.pushBody(PHONE, CALLBACK_URL));
        ((ObjectNode) simulator.receivedPushes().get(0)).put("Amount", 1);

        assertThat(simulator.receivedPushes().get(0).get("Amount").asInt()).isEqualTo(100);
    }

    @Test
    void receivedPushesKeepsLatestThousand() {
        String bearer = fixture.bearer();
        for (int i = 0; i < DarajaSimulator.MAX_RECEIVED_PUSHES + 5; i++) {
            simulator.processRequest(bearer, "{\"AccountReference\":\"" + i + "\"}");
        }

        List<JsonNode> received = simulator.receivedPushes();

        assertThat(received).hasSize(DarajaSimulator.MAX_RECEIVED_PUSHES);
        assertThat(received.get(0).get("AccountReference").asText()).isEqualTo("5");
    }

    @Test
    void pushRemovedOneDayAfterDue() {
        String old = fixture.acceptedPush(PHONE, CALLBACK_URL);
        fixture.clock.advance(PushRegistry.RETENTION.plus(Duration.ofMinutes(1)));
        String recent = fixture.acceptedPush(PHONE, CALLBACK_URL);

        assertThat(simulator.receiptFor(old)).isEmpty();
        assertError(fixture.query(old), 400, "400.002.02", "Bad Request - Invalid CheckoutRequestID");
        assertThat(simulator.receiptFor(recent)).isPresent();
    }

    @Test
    void receiptPresentOnlyWhenCustomerPays() {
        String paid = fixture.acceptedPush(PHONE, CALLBACK_URL);
        String cancelled = fixture.acceptedPush("254700101032", CALLBACK_URL);
        String lost = fixture.acceptedPush("254700200001", CALLBACK_URL);
        String late = fixture.acceptedPush("254700200003", CALLBACK_URL);
        String unresolved = fixture.acceptedPush("254700200005", CALLBACK_URL);

        assertThat(simulator.receiptFor(paid)).isPresent();
        assertThat(simulator.receiptFor(cancelled)).isEmpty();
        assertThat(simulator.receiptFor(lost)).isPresent();
        assertThat(simulator.receiptFor(late)).isPresent();
        assertThat(simulator.receiptFor(unresolved)).isEmpty();
        assertThat(simulator.receiptFor("ws_CO_unknown")).isEmpty();
    }

    @Test
    void slowReplyNumberHoldsReply() {
        try (SimulatorFixture slow = new SimulatorFixture(
                Duration.ofSeconds(2), Duration.ofMillis(600), Duration.ofSeconds(20))) {
            long started = System.nanoTime();
            SimulatorReply reply = slow.push(slow.pushBody("254700200006", CALLBACK_URL));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

            assertThat(reply.status()).isEqualTo(200);
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        }
    }

    @Test
    void disabledSimulatorReturnsNotFound() {
        SimulatorSettings disabled = new SimulatorSettings(false, SimulatorFixture.SHORTCODE,
                SimulatorFixture.PASSKEY, SimulatorFixture.CONSUMER_KEY, SimulatorFixture.CONSUMER_SECRET,
                Duration.ofSeconds(2), Duration.ofSeconds(35), Duration.ofSeconds(20));
        try (DarajaSimulator off = new DarajaSimulator(disabled, fixture.clock)) {
            String basic = SimulatorFixture.basicAuthorization(
                    SimulatorFixture.CONSUMER_KEY, SimulatorFixture.CONSUMER_SECRET);

            assertNotFound(off.generateToken("client_credentials", basic));
            assertNotFound(off.processRequest("Bearer x", fixture.pushBody(PHONE, CALLBACK_URL).toString()));
            assertNotFound(off.query("Bearer x", fixture.queryBody("ws_CO_1").toString()));
            assertNotFound(off.unknownPath());
        }
    }

    static void assertNotFound(SimulatorReply reply) {
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().toString()).isEqualTo("{\"detail\":\"Not found\"}");
    }
}
