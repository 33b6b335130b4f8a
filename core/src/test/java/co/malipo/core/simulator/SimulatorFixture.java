package co.malipo.core.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.core.daraja.DarajaTime;
import co.malipo.core.daraja.MutableClock;

/** Credentials, request bodies and a simulator on a mutable clock, shared by the simulator tests. */
final class SimulatorFixture implements AutoCloseable {

    static final String SHORTCODE = "174379";
    static final String PASSKEY = "test-passkey-not-a-real-one";
    static final String CONSUMER_KEY = "test-consumer-key";
    static final String CONSUMER_SECRET = "test-consumer-secret";
    static final String PHONE = "254708374149";
    static final String CALLBACK_URL = "http://127.0.0.1:9/callback";

    /** 09:30 UTC, so 12:30 in Nairobi: a timestamp made in the wrong zone is three hours off. */
    static final Instant START = Instant.parse("2025-03-14T09:30:00Z");

    final MutableClock clock = new MutableClock(START);
    final SimulatorSettings settings;
    final DarajaSimulator simulator;

    SimulatorFixture() {
        this(Duration.ofSeconds(2), Duration.ofSeconds(35), Duration.ofSeconds(20));
    }

    SimulatorFixture(Duration callbackDelay, Duration slowReplyDelay, Duration lateCallbackDelay) {
        this.settings = new SimulatorSettings(true, SHORTCODE, PASSKEY, CONSUMER_KEY, CONSUMER_SECRET,
                callbackDelay, slowReplyDelay, lateCallbackDelay);
        this.simulator = new DarajaSimulator(settings, clock);
    }

    static String basicAuthorization(String key, String secret) {
        String pair = key + ":" + secret;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** Issues a token and returns it as a Bearer header. */
    String bearer() {
        SimulatorReply reply = simulator.generateToken(
                "client_credentials", basicAuthorization(CONSUMER_KEY, CONSUMER_SECRET));
        return "Bearer " + reply.body().get("access_token").asText();
    }

    /** Returns the current Nairobi timestamp of the fixture clock. */
    String timestamp() {
        return DarajaTime.timestamp(clock.instant());
    }

    /** Builds a valid push body to the phone, with numbers sent as JSON numbers as many clients do. */
    ObjectNode pushBody(String phone, String callbackUrl) {
        String timestamp = timestamp();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("BusinessShortCode", Long.parseLong(SHORTCODE));
        body.put("Password", DarajaTime.password(SHORTCODE, PASSKEY, timestamp));
        body.put("Timestamp", timestamp);
        body.put("TransactionType", "CustomerPayBillOnline");
        body.put("Amount", 100);
        body.put("PartyA", Long.parseLong(phone));
        body.put("PartyB", Long.parseLong(SHORTCODE));
        body.put("PhoneNumber", Long.parseLong(phone));
        body.put("CallBackURL", callbackUrl);
        body.put("AccountReference", "INV-0042");
        body.put("TransactionDesc", "Payment");
        return body;
    }

    ObjectNode queryBody(String checkoutRequestId) {
        String timestamp = timestamp();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("BusinessShortCode", SHORTCODE);
        body.put("Password", DarajaTime.password(SHORTCODE, PASSKEY, timestamp));
        body.put("Timestamp", timestamp);
        body.put("CheckoutRequestID", checkoutRequestId);
        return body;
    }

    SimulatorReply push(JsonNode body) {
        return simulator.processRequest(bearer(), body.toString());
    }

    /** Sends a valid push to the phone and returns its CheckoutRequestID, failing if the push is not accepted. */
    String acceptedPush(String phone, String callbackUrl) {
        SimulatorReply reply = push(pushBody(phone, callbackUrl));
        if (reply.status() != 200) {
            throw new AssertionError("push to " + phone + " was not accepted: " + reply);
        }
        return reply.body().get("CheckoutRequestID").asText();
    }

    SimulatorReply query(String checkoutRequestId) {
        return simulator.query(bearer(), queryBody(checkoutRequestId).toString());
    }

    @Override
    public void close() {
        simulator.close();
    }
}
