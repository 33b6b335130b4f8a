package co.malipo.core.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

class AfricasTalkingSimulatorTest {

    private final AfricasTalkingSimulator simulator = new AfricasTalkingSimulator(true, "BADSENDER");

    private SimulatorReply send(String to, String from) {
        return simulator.send("key", "sandbox", to, "Paid KES 100", from);
    }

    @Test
    void successMatchesWireFormat() {
        SimulatorReply reply = send("+254711000111", null);

        assertThat(reply.status()).isEqualTo(201);
        JsonNode data = reply.body().get("SMSMessageData");
        assertThat(data.get("Message").asText()).isEqualTo("Sent to 1/1 Total Cost: KES 0.8000");
        JsonNode recipient = data.get("Recipients").get(0);
        assertThat(recipient.get("statusCode").asInt()).isEqualTo(101);
        assertThat(recipient.get("status").asText()).isEqualTo("Success");
        assertThat(recipient.get("number").asText()).isEqualTo("+254711000111");
        assertThat(recipient.get("cost").asText()).isEqualTo("KES 0.8000");
        assertThat(recipient.get("messageId").asText()).startsWith("ATPid_");
        assertThat(simulator.receivedMessages()).hasSize(1);
    }

    @Test
    void blacklistedNumberGetsNoneId() {
        JsonNode recipient = send(AfricasTalkingSimulator.BLACKLISTED, null).body()
                .get("SMSMessageData").get("Recipients").get(0);

        assertThat(recipient.get("statusCode").asInt()).isEqualTo(406);
        assertThat(recipient.get("status").asText()).isEqualTo("UserInBlacklist");
        assertThat(recipient.get("messageId").asText()).isEqualTo("None");
    }

    @Test
    void invalidSenderIdGetsNoRecipients() {
        SimulatorReply reply = send("+254711000111", "BADSENDER");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.body().get("SMSMessageData").get("Message").asText()).isEqualTo("InvalidSenderId");
        assertThat(reply.body().get("SMSMessageData").get("Recipients")).isEmpty();
    }

    @Test
    void failsOnceNumberFailsFirstOnly() {
        assertThat(send(AfricasTalkingSimulator.FAILS_ONCE, null).status()).isEqualTo(500);
        assertThat(send(AfricasTalkingSimulator.FAILS_ONCE, null).status()).isEqualTo(201);
        assertThat(simulator.receivedMessages()).hasSize(1);
    }

    @Test
    void missingApiKeyIsUnauthorised() {
        assertThat(simulator.send(null, "sandbox", "+254711000111", "Paid", null).status()).isEqualTo(401);
        assertThat(simulator.receivedMessages()).isEmpty();
    }

    @Test
    void disabledSimulatorIsNotFound() {
        AfricasTalkingSimulator disabled = new AfricasTalkingSimulator(false, "BADSENDER");

        assertThat(disabled.send("key", "sandbox", "+254711000111", "Paid", null).status()).isEqualTo(404);
    }
}
