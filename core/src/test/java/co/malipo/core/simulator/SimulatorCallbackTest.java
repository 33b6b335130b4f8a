package co.malipo.core.simulator;

import static co.malipo.core.simulator.SimulatorFixture.PHONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Callbacks posted over HTTP to a receiver on 127.0.0.1, with short delays in place of the defaults. */
class SimulatorCallbackTest {

    private static final Duration CALLBACK_DELAY = Duration.ofMillis(100);
    private static final Duration SLOW_REPLY_DELAY = Duration.ofMillis(1500);
    private static final Duration LATE_CALLBACK_DELAY = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Wait used to check that no callback arrives, well above the callback and late-callback delays used here. */
    private static final Duration QUIET = Duration.ofMillis(800);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SimulatorFixture fixture;
    private CallbackReceiver receiver;

    @BeforeEach
    void start() throws IOException {
        fixture = new SimulatorFixture(CALLBACK_DELAY, SLOW_REPLY_DELAY, LATE_CALLBACK_DELAY);
        receiver = new CallbackReceiver();
    }

    @AfterEach
    void stop() throws InterruptedException {
        fixture.close();
        receiver.close();
    }

    @Test
    void successCallbackHasDarajaShape() throws Exception {
        String checkoutRequestId = fixture.acceptedPush(PHONE, receiver.url());

        List<String> bodies = receiver.awaitBodies(1, WAIT);
        String raw = bodies.get(0);
        JsonNode callback = MAPPER.readTree(raw).path("Body").path("stkCallback");
        JsonNode items = callback.path("CallbackMetadata").path("Item");

        assertThat(callback.get("CheckoutRequestID").asText()).isEqualTo(checkoutRequestId);
        assertThat(callback.get("MerchantRequestID").asText()).isNotBlank();
        assertThat(callback.get("ResultCode").isInt()).isTrue();
        assertThat(callback.get("ResultCode").asInt()).isZero();
        assertThat(callback.get("ResultDesc").asText()).isEqualTo("The service request is processed successfully.");
        assertThat(items).hasSize(5);
        assertThat(raw).contains("{\"Name\":\"Amount\",\"Value\":100.00}");
        assertThat(items.get(1).get("Name").asText()).isEqualTo("MpesaReceiptNumber");
        String receipt = fixture.simulator.receiptFor(checkoutRequestId).orElseThrow();
        assertThat(items.get(1).get("Value").asText()).isEqualTo(receipt);
        assertThat(raw).contains("{\"Name\":\"Balance\"}");
        assertThat(items.get(2).has("Value")).isFalse();
        assertThat(items.get(3).get("Name").asText()).isEqualTo("TransactionDate");
        assertThat(items.get(3).get("Value").isIntegralNumber()).isTrue();
        assertThat(items.get(3).get("Value").asLong()).isEqualTo(20250314123000L);
        assertThat(items.get(4).get("Name").asText()).isEqualTo("PhoneNumber");
        assertThat(items.get(4).get("Value").isIntegralNumber()).isTrue();
        assertThat(items.get(4).get("Value").asLong()).isEqualTo(254708374149L);
        assertThat(fixture.simulator.callbackPosts(checkoutRequestId)).isEqualTo(1);
    }

    @Test
    void callbackAmountFromStringHasTwoDecimals() throws Exception {
        fixture.push(fixture.pushBody(PHONE, receiver.url()).put("Amount", "250"));

        String raw = receiver.awaitBodies(1, WAIT).get(0);

        assertThat(raw).contains("{\"Name\":\"Amount\",\"Value\":250.00}");
    }

    @Test
    void cancelledCallbackHasNoMetadata() throws Exception {
        String checkoutRequestId = fixture.acceptedPush("254700101032", receiver.url());

        JsonNode callback = onlyCallback(receiver.awaitBodies(1, WAIT));

        assertThat(callback.get("CheckoutRequestID").asText()).isEqualTo(checkoutRequestId);
        assertThat(callback.get("ResultCode").isInt()).isTrue();
        assertThat(callback.get("ResultCode").asInt()).isEqualTo(1032);
        assertThat(callback.get("ResultDesc").asText()).isEqualTo("Request cancelled by user");
        assertThat(callback.has("CallbackMetadata")).isFalse();
    }

    @Test
    void insufficientFundsCallbackCarriesCode1() throws Exception {
        fixture.acceptedPush("254700100001", receiver.url());

        JsonNode callback = onlyCallback(receiver.awaitBodies(1, WAIT));

        assertThat(callback.get("ResultCode").asInt()).isEqualTo(1);
        assertThat(callback.get("ResultDesc").asText()).isEqualTo("The balance is insufficient for the transaction.");
    }

    @Test
    void resultCodeZeroNumberSendsSuccess() throws Exception {
        fixture.acceptedPush("254700100000", receiver.url());

        JsonNode callback = onlyCallback(receiver.awaitBodies(1, WAIT));

        assertThat(callback.get("ResultCode").asInt()).isZero();
        assertThat(callback.has("CallbackMetadata")).isTrue();
    }

    @Test
    void lostCallbackNumberPostsNothing() throws Exception {
        String checkoutRequestId = fixture.acceptedPush("254700200001", receiver.url());

        Thread.sleep(QUIET.toMillis());

        assertThat(receiver.bodies()).isEmpty();
        assertThat(fixture.simulator.callbackPosts(checkoutRequestId)).isZero();
    }

    @Test
    void tripledCallbackPostsThreeConcurrentCopies() throws Exception {
        String checkoutRequestId = fixture.acceptedPush("254700200002", receiver.url());

        List<String> bodies = receiver.awaitBodies(3, WAIT);
        Thread.sleep(QUIET.toMillis());

        assertThat(receiver.bodies()).hasSize(3);
        assertThat(bodies).containsOnly(bodies.get(0));
        assertThat(onlyCallback(bodies.subList(0, 1)).get("ResultCode").asInt()).isZero();
        assertThat(receiver.maxConcurrentRequests()).isEqualTo(3);
        assertThat(fixture.simulator.callbackPosts(checkoutRequestId)).isEqualTo(3);
    }

    @Test
    void lateSuccessCallbackFollowsTimeoutQuery() throws Exception {
        String checkoutRequestId = fixture.acceptedPush("254700200003", receiver.url());
        Thread.sleep(QUIET.toMillis());
        assertThat(receiver.bodies()).as("callbacks before the query").isEmpty();

        fixture.clock.advance(CALLBACK_DELAY);
        assertThat(fixture.query(checkoutRequestId).body().get("ResultCode").asText()).isEqualTo("1037");
        assertThat(fixture.query(checkoutRequestId).body().get("ResultCode").asText()).isEqualTo("1037");
        JsonNode callback = onlyCallback(receiver.awaitBodies(1, WAIT));
        Thread.sleep(QUIET.toMillis());

        assertThat(callback.get("ResultCode").asInt()).isZero();
        assertThat(callback.path("CallbackMetadata").path("Item").get(1).get("Value").asText())
                .isEqualTo(fixture.simulator.receiptFor(checkoutRequestId).get());
        assertThat(receiver.bodies()).as("one late callback for two queries").hasSize(1);
    }

    @Test
    void queryCancelledAfterSuccessCallback() throws Exception {
        String checkoutRequestId = fixture.acceptedPush("254700200004", receiver.url());

        JsonNode callback = onlyCallback(receiver.awaitBodies(1, WAIT));
        fixture.clock.advance(CALLBACK_DELAY);

        assertThat(callback.get("ResultCode").asInt()).isZero();
        assertThat(fixture.query(checkoutRequestId).body().get("ResultCode").asText()).isEqualTo("1032");
    }

    @Test
    void neverResolvedNumberPostsNothing() throws Exception {
        String checkoutRequestId = fixture.acceptedPush("254700200005", receiver.url());

        Thread.sleep(QUIET.toMillis());

        assertThat(receiver.bodies()).isEmpty();
        assertThat(fixture.simulator.callbackPosts(checkoutRequestId)).isZero();
    }

    @Test
    void slowReplyNumberPostsCallbackBeforeReply() throws Exception {
        long started = System.nanoTime();
        SimulatorReply reply = fixture.push(fixture.pushBody("254700200006", receiver.url()));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(elapsed).isGreaterThanOrEqualTo(SLOW_REPLY_DELAY);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(receiver.bodies()).as("callbacks received before the reply").hasSize(1);
        assertThat(onlyCallback(receiver.bodies()).get("CheckoutRequestID").asText())
                .isEqualTo(reply.body().get("CheckoutRequestID").asText());
    }

    @Test
    void unreachableReceiverCountsAttempt() throws Exception {
        String closedPortUrl = "http://127.0.0.1:" + unusedPort() + "/callback";
        String failed = fixture.acceptedPush(PHONE, closedPortUrl);
        String delivered = fixture.acceptedPush(PHONE, receiver.url());

        receiver.awaitBodies(1, WAIT);
        waitForPosts(failed, 1);

        assertThat(fixture.simulator.callbackPosts(failed)).isEqualTo(1);
        assertThat(onlyCallback(receiver.bodies()).get("CheckoutRequestID").asText()).isEqualTo(delivered);
    }

    @Test
    void failedPostLoggedAtWarnWithoutBody() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(CallbackSender.class.getName());
        logger.addHandler(handler);
        try {
            int port = unusedPort();
            String failed = fixture.acceptedPush(PHONE, "http://127.0.0.1:" + port + "/callback/secret-path");
            waitForPosts(failed, 1);
            waitForRecords(records);

            assertThat(records).hasSize(1);
            LogRecord record = records.get(0);
            String logged = record.getMessage() + " " + Arrays.toString(record.getParameters());
            assertThat(record.getLevel().intValue()).isEqualTo(Level.WARNING.intValue());
            assertThat(logged).contains(failed).contains("127.0.0.1:" + port);
            assertThat(logged).doesNotContain("stkCallback").doesNotContain("secret-path");
        } finally {
            logger.removeHandler(handler);
        }
    }

    @Test
    void closeDropsPendingCallbacks() throws Exception {
        fixture.acceptedPush(PHONE, receiver.url());
        fixture.close();

        Thread.sleep(QUIET.toMillis());

        assertThat(receiver.bodies()).isEmpty();
    }

    private static JsonNode onlyCallback(List<String> bodies) throws IOException {
        assertThat(bodies).hasSize(1);
        return MAPPER.readTree(bodies.get(0)).path("Body").path("stkCallback");
    }

    private void waitForPosts(String checkoutRequestId, int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (fixture.simulator.callbackPosts(checkoutRequestId) < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static void waitForRecords(List<LogRecord> records) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (records.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
