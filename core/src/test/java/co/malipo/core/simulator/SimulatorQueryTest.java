package co.malipo.core.simulator;

import static co.malipo.core.simulator.SimulatorFixture.CALLBACK_URL;
import static co.malipo.core.simulator.SimulatorFixture.PHONE;
import static co.malipo.core.simulator.SimulatorTokenTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.malipo.core.daraja.DarajaTime;

class SimulatorQueryTest {

    private static final Duration PAST_DUE = Duration.ofSeconds(2);

    /** Short slow-reply delay, so the push to the slow-reply number returns quickly. */
    private final SimulatorFixture fixture =
            new SimulatorFixture(Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofSeconds(20));

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void queryBeforeDueIsBeingProcessed() {
        String checkoutRequestId = fixture.acceptedPush(PHONE, CALLBACK_URL);
        fixture.clock.advance(Duration.ofMillis(1999));

        SimulatorReply reply = fixture.query(checkoutRequestId);

        assertError(reply, 500, "500.001.1001", "The transaction is being processed");
        assertThat(reply.body().get("requestId").asText()).isEqualTo(checkoutRequestId);
    }

    @Test
    void queryOnceDueReturnsResult() {
        String checkoutRequestId = fixture.acceptedPush(PHONE, CALLBACK_URL);
        fixture.clock.advance(PAST_DUE);

        SimulatorReply reply = fixture.query(checkoutRequestId);
        JsonNode body = reply.body();

        assertThat(reply.status()).isEqualTo(200);
        assertThat(body.get("ResponseCode").asText()).isEqualTo("0");
        assertThat(body.get("ResponseDescription").asText())
                .isEqualTo("The service request has been accepted successfully");
        assertThat(body.get("CheckoutRequestID").asText()).isEqualTo(checkoutRequestId);
        assertThat(body.get("MerchantRequestID").asText()).isNotBlank();
        assertThat(body.get("ResultCode").isTextual()).isTrue();
        assertThat(body.get("ResultCode").asText()).isEqualTo("0");
        assertThat(body.get("ResultDesc").asText()).isEqualTo("The service request is processed successfully.");
    }

    @Test
    void queryMerchantRequestIdMatchesPush() {
        SimulatorReply push = fixture.push(fixture.pushBody(PHONE, CALLBACK_URL));
        String checkoutRequestId = push.body().get("CheckoutRequestID").asText();
        fixture.clock.advance(PAST_DUE);

        JsonNode query = fixture.query(checkoutRequestId).body();

        assertThat(query.get("MerchantRequestID")).isEqualTo(push.body().get("MerchantRequestID"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "254700100000 | 0    | The service request is processed successfully.",
        "254700100001 | 1    | The balance is insufficient for the transaction.",
        "254700100017 | 17   | Rule limited.",
        "254700101001 | 1001 | Unable to lock subscriber, "
                + "a transaction is already in process for the current subscriber",
        "254700101019 | 1019 | Transaction has expired.",
        "254700101025 | 1025 | An error occurred while sending a push request.",
        "254700101032 | 1032 | Request cancelled by user",
        "254700101037 | 1037 | DS timeout user cannot be reached",
        "254700102001 | 2001 | The initiator information is invalid.",
        "254700109999 | 9999 | [STK_CB - ]Error while sending push request",
        "254700104242 | 4242 | Simulated result code 4242",
        "254700200001 | 0    | The service request is processed successfully.",
        "254700200002 | 0    | The service request is processed successfully.",
        "254700200003 | 1037 | DS timeout user cannot be reached",
        "254700200004 | 1032 | Request cancelled by user",
        "254700200006 | 0    | The service request is processed successfully.",
        "254712345678 | 0    | The service request is processed successfully.",
    })
    void queryReturnsScenarioResult(String phone, String resultCode, String resultDesc) {
        String checkoutRequestId = fixture.acceptedPush(phone, CALLBACK_URL);
        fixture.clock.advance(PAST_DUE);

        JsonNode body = fixture.query(checkoutRequestId).body();

        assertThat(body.get("ResultCode").asText()).isEqualTo(resultCode);
        assertThat(body.get("ResultDesc").asText()).isEqualTo(resultDesc);
    }

    @Test
    void neverResolvedNumberStaysBeingProcessed() {
        String checkoutRequestId = fixture.acceptedPush("254700200005", CALLBACK_URL);
        fixture.clock.advance(Duration.ofHours(1));

        assertError(fixture.query(checkoutRequestId), 500, "500.001.1001", "The transaction is being processed");
    }

    @Test
    void queryRejectsUnknownCheckoutRequestId() {
        SimulatorReply reply = fixture.query("ws_CO_14032025123000000254708374149");

        assertError(reply, 400, "400.002.02", "Bad Request - Invalid CheckoutRequestID");
    }

    @Test
    void queryRejectsWrongShortcode() {
        ObjectNode body = fixture.queryBody("ws_CO_1").put("BusinessShortCode", "600000");

        SimulatorReply reply = fixture.simulator.query(fixture.bearer(), body.toString());

        assertError(reply, 400, "400.002.02", "Bad Request - Invalid BusinessShortCode");
    }

    @Test
    void queryRejectsStaleTimestamp() {
        String checkoutRequestId = fixture.acceptedPush(PHONE, CALLBACK_URL);
        ObjectNode body = fixture.queryBody(checkoutRequestId);
        fixture.clock.advance(Duration.ofMinutes(11));

        SimulatorReply reply = fixture.simulator.query(fixture.bearer(), body.toString());

        assertError(reply, 400, "400.002.02", "Bad Request - Invalid Timestamp");
    }

    @Test
    void queryRejectsWrongPassword() {
        String checkoutRequestId = fixture.acceptedPush(PHONE, CALLBACK_URL);
        ObjectNode body = fixture.queryBody(checkoutRequestId)
                .put("Password", DarajaTime.password(SimulatorFixture.SHORTCODE, "wrong", fixture.timestamp()));

        SimulatorReply reply = fixture.simulator.query(fixture.bearer(), body.toString());

        assertError(reply, 500, "500.001.1001", "[MerchantValidate] - Wrong credentials");
    }

    @Test
    void queryRejectsUnknownToken() {
        String checkoutRequestId = fixture.acceptedPush(PHONE, CALLBACK_URL);

        SimulatorReply reply = fixture.simulator.query("Bearer nope", fixture.queryBody(checkoutRequestId).toString());

        assertError(reply, 404, "404.001.03", "Invalid Access Token");
    }
}
