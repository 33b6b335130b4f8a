package co.malipo.core.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import co.malipo.core.daraja.MutableClock;

/** The resource called directly, without an HTTP server: status, media type and body pass through unchanged. */
class SimulatorResourceTest {

    @Test
    void resourcePassesTokenReplyThrough() {
        try (SimulatorFixture fixture = new SimulatorFixture()) {
            SimulatorResource resource = new SimulatorResource(fixture.simulator);
            String basic = SimulatorFixture.basicAuthorization(
                    SimulatorFixture.CONSUMER_KEY, SimulatorFixture.CONSUMER_SECRET);

            Response response = resource.generateToken("client_credentials", basic);

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
            assertThat(((JsonNode) response.getEntity()).get("expires_in").asText()).isEqualTo("3599");
        }
    }

    @Test
    void resourcePassesPushErrorThrough() {
        try (SimulatorFixture fixture = new SimulatorFixture()) {
            SimulatorResource resource = new SimulatorResource(fixture.simulator);

            Response response = resource.processRequest("Bearer unknown", "{}");

            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(((JsonNode) response.getEntity()).get("errorCode").asText()).isEqualTo("404.001.03");
        }
    }

    @Test
    void disabledResourceReturnsNotFoundEverywhere() {
        SimulatorSettings disabled = new SimulatorSettings(false, SimulatorFixture.SHORTCODE,
                SimulatorFixture.PASSKEY, SimulatorFixture.CONSUMER_KEY, SimulatorFixture.CONSUMER_SECRET,
                Duration.ofSeconds(2), Duration.ofSeconds(35), Duration.ofSeconds(20));
        try (DarajaSimulator simulator = new DarajaSimulator(disabled, new MutableClock(SimulatorFixture.START))) {
            SimulatorResource resource = new SimulatorResource(simulator);

            assertNotFound(resource.generateToken("client_credentials", "Basic eDp5"));
            assertNotFound(resource.processRequest("Bearer x", "{}"));
            assertNotFound(resource.query("Bearer x", "{}"));
            assertNotFound(resource.unknownGet());
            assertNotFound(resource.unknownPost());
        }
    }

    private static void assertNotFound(Response response) {
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getEntity().toString()).isEqualTo("{\"detail\":\"Not found\"}");
    }
}
