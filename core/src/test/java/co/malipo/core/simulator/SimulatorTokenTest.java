package co.malipo.core.simulator;

import static co.malipo.core.simulator.SimulatorFixture.CONSUMER_KEY;
import static co.malipo.core.simulator.SimulatorFixture.CONSUMER_SECRET;
import static co.malipo.core.simulator.SimulatorFixture.basicAuthorization;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

class SimulatorTokenTest {

    private final SimulatorFixture fixture = new SimulatorFixture();
    private final DarajaSimulator simulator = fixture.simulator;

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void tokenIssuedForValidCredentials() {
        SimulatorReply reply = simulator.generateToken(
                "client_credentials", basicAuthorization(CONSUMER_KEY, CONSUMER_SECRET));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("access_token").asText()).matches("[A-Za-z0-9]{28}");
        assertThat(reply.body().get("expires_in").isTextual()).isTrue();
        assertThat(reply.body().get("expires_in").asText()).isEqualTo("3599");
        assertThat(simulator.tokensIssued()).isEqualTo(1);
    }

    @Test
    void tokensAreDistinct() {
        String first = fixture.bearer();
        String second = fixture.bearer();

        assertThat(first).isNotEqualTo(second);
        assertThat(simulator.tokensIssued()).isEqualTo(2);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "password", "CLIENT_CREDENTIALS"})
    void tokenRejectsWrongGrantType(String grantType) {
        SimulatorReply reply = simulator.generateToken(grantType, basicAuthorization(CONSUMER_KEY, CONSUMER_SECRET));

        assertError(reply, 400, "400.008.02", "Invalid grant type passed");
        assertThat(simulator.tokensIssued()).isZero();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer abc", "Basic not-base64!", "Basic dGVzdC1jb25zdW1lci1rZXk="})
    void tokenRejectsMissingOrMalformedAuthorization(String authorization) {
        SimulatorReply reply = simulator.generateToken("client_credentials", authorization);

        assertError(reply, 400, "400.008.01", "Invalid authentication type passed");
    }

    @Test
    void tokenRejectsWrongSecret() {
        SimulatorReply reply = simulator.generateToken(
                "client_credentials", basicAuthorization(CONSUMER_KEY, "wrong-secret"));

        assertError(reply, 400, "400.008.01", "Invalid authentication type passed");
    }

    @Test
    void tokenRejectedWhenAccountHasNoCredentials() {
        SimulatorSettings empty = new SimulatorSettings(true, null, null, null, null,
                Duration.ofSeconds(2), Duration.ofSeconds(35), Duration.ofSeconds(20));
        try (DarajaSimulator unconfigured = new DarajaSimulator(empty, fixture.clock)) {
            SimulatorReply reply = unconfigured.generateToken("client_credentials", basicAuthorization("", ""));

            assertError(reply, 400, "400.008.01", "Invalid authentication type passed");
        }
    }

    @Test
    void tokenValidUntilExpiry() {
        String bearer = fixture.bearer();
        fixture.clock.advance(Duration.ofSeconds(3598));
        JsonNode body = fixture.pushBody(SimulatorFixture.PHONE, SimulatorFixture.CALLBACK_URL);

        assertThat(simulator.processRequest(bearer, body.toString()).status()).isEqualTo(200);
    }

    @Test
    void tokenExpiresAfter3599Seconds() {
        String bearer = fixture.bearer();
        fixture.clock.advance(Duration.ofSeconds(3599));
        JsonNode body = fixture.pushBody(SimulatorFixture.PHONE, SimulatorFixture.CALLBACK_URL);

        assertError(simulator.processRequest(bearer, body.toString()), 404, "404.001.03", "Invalid Access Token");
    }

    @Test
    void expireAllTokensInvalidatesIssuedTokens() {
        String bearer = fixture.bearer();
        simulator.expireAllTokens();
        JsonNode body = fixture.pushBody(SimulatorFixture.PHONE, SimulatorFixture.CALLBACK_URL);

        assertError(simulator.processRequest(bearer, body.toString()), 404, "404.001.03", "Invalid Access Token");
        assertError(simulator.query(bearer, fixture.queryBody("ws_CO_1").toString()),
                404, "404.001.03", "Invalid Access Token");
        assertThat(simulator.tokensIssued()).isEqualTo(1);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer ", "Bearer unknown-token", "Basic dGVzdDp0ZXN0"})
    void pushRejectsUnknownToken(String authorization) {
        JsonNode body = fixture.pushBody(SimulatorFixture.PHONE, SimulatorFixture.CALLBACK_URL);

        assertError(simulator.processRequest(authorization, body.toString()),
                404, "404.001.03", "Invalid Access Token");
        assertThat(simulator.receivedPushes()).isEmpty();
    }

    @Test
    void resetClearsTokensAndCount() {
        String bearer = fixture.bearer();
        simulator.reset();
        JsonNode body = fixture.pushBody(SimulatorFixture.PHONE, SimulatorFixture.CALLBACK_URL);

        assertThat(simulator.tokensIssued()).isZero();
        assertThat(simulator.processRequest(bearer, body.toString()).status()).isEqualTo(404);
    }

    static void assertError(SimulatorReply reply, int status, String errorCode, String errorMessage) {
        assertThat(reply.status()).as("HTTP status of %s", reply.body()).isEqualTo(status);
        assertThat(reply.body().get("errorCode").asText()).isEqualTo(errorCode);
        assertThat(reply.body().get("errorMessage").asText()).isEqualTo(errorMessage);
        assertThat(reply.body().get("requestId").asText()).isNotBlank();
    }
}
