package co.malipo.core.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import co.malipo.core.simulator.SimulatorFaults.Fault;
import co.malipo.core.simulator.SimulatorFaults.Plan;

/** Fault plans, their random but repeatable choice of requests, and what each fault does to a simulator's reply. */
class SimulatorFaultsTest {

    @Test
    void planParsesEveryFaultAndSeed() {
        Plan plan = Plan.parse(" slow=5, error=6,html=7 ,drop=8,seed=42");

        assertThat(plan.percentages()).isEqualTo(Map.of(Fault.SLOW, 5, Fault.SERVER_ERROR, 6, Fault.HTML, 7,
                Fault.DROP, 8));
        assertThat(plan.seed()).isEqualTo(42);
        assertThat(plan.format()).isEqualTo("slow=5,error=6,html=7,drop=8,seed=42");
        assertThat(Plan.parse(plan.format())).isEqualTo(plan);
    }

    @Test
    void blankPlanHasNoFaults() {
        assertThat(Plan.parse("")).isEqualTo(Plan.NONE);
        assertThat(Plan.parse(null)).isEqualTo(Plan.NONE);
        assertThat(Plan.parse("drop=0").percentages()).isEmpty();
    }

    @Test
    void invalidPlansAreRejectedWithTheirPart() {
        assertThatThrownBy(() -> Plan.parse("drop")).hasMessageContaining("'drop'").hasMessageContaining("NAME=NUMBER");
        assertThatThrownBy(() -> Plan.parse("lag=5")).hasMessageContaining("unknown fault 'lag'");
        assertThatThrownBy(() -> Plan.parse("drop=x")).hasMessageContaining("invalid number 'x' for drop");
        assertThatThrownBy(() -> Plan.parse("drop=101")).hasMessageContaining("invalid fault percentage 101 for drop");
        assertThatThrownBy(() -> Plan.parse("drop=60,error=50")).hasMessageContaining("add up to 110");
    }

    @Test
    void sameSeedPicksSameRequests() {
        SimulatorFaults first = new SimulatorFaults();
        SimulatorFaults second = new SimulatorFaults();
        first.set(Plan.parse("slow=10,error=10,html=10,drop=10,seed=7"));
        second.set(Plan.parse("slow=10,error=10,html=10,drop=10,seed=7"));

        assertThat(draw(first, 200)).isEqualTo(draw(second, 200));
    }

    @Test
    void shareOfFaultsFollowsPlan() {
        SimulatorFaults faults = new SimulatorFaults();
        faults.set(Plan.parse("error=20,drop=10,seed=3"));

        Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
        int clean = 0;
        for (Optional<Fault> fault : draw(faults, 2000)) {
            if (fault.isEmpty()) {
                clean++;
            } else {
                counts.merge(fault.get(), 1, Integer::sum);
            }
        }

        // 2000 draws at 20 % and 10 %: the bounds are more than four standard deviations wide.
        assertThat(counts.get(Fault.SERVER_ERROR)).isBetween(320, 480);
        assertThat(counts.get(Fault.DROP)).isBetween(140, 260);
        assertThat(counts).doesNotContainKeys(Fault.SLOW, Fault.HTML);
        assertThat(clean).isBetween(1250, 1550);
        assertThat(faults.injected()).containsEntry("error", counts.get(Fault.SERVER_ERROR))
                .containsEntry("drop", counts.get(Fault.DROP)).containsEntry("slow", 0).containsEntry("html", 0);
    }

    @Test
    void serverErrorRejectsPushBeforeHandling() {
        try (SimulatorFixture fixture = new SimulatorFixture()) {
            String bearer = fixture.bearer();
            fixture.simulator.faults().set(Plan.parse("error=100"));

            SimulatorReply reply = fixture.simulator.processRequest(bearer,
                    fixture.pushBody(SimulatorFixture.PHONE, SimulatorFixture.CALLBACK_URL).toString());

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.transport()).isEqualTo(SimulatorReply.Transport.JSON);
            assertThat(reply.body().get("errorCode").asText()).isEqualTo("503.001.01");
            assertThat(fixture.simulator.receivedPushes()).isEmpty();
        }
    }

    @Test
    void htmlFaultHidesAcceptedPush() {
        try (SimulatorFixture fixture = new SimulatorFixture()) {
            String bearer = fixture.bearer();
            fixture.simulator.faults().set(Plan.parse("html=100"));

            SimulatorReply reply = fixture.simulator.processRequest(bearer,
                    fixture.pushBody(SimulatorFixture.PHONE, SimulatorFixture.CALLBACK_URL).toString());

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.transport()).isEqualTo(SimulatorReply.Transport.HTML);
            assertThat(reply.body()).isNull();
            // The push was accepted before its reply was lost, so the customer is prompted.
            assertThat(fixture.simulator.receivedPushes()).hasSize(1);
        }
    }

    @Test
    void dropFaultHidesAcceptedPush() {
        try (SimulatorFixture fixture = new SimulatorFixture()) {
            String bearer = fixture.bearer();
            fixture.simulator.faults().set(Plan.parse("drop=100"));

            SimulatorReply reply = fixture.simulator.processRequest(bearer,
                    fixture.pushBody(SimulatorFixture.PHONE, SimulatorFixture.CALLBACK_URL).toString());

            assertThat(reply.transport()).isEqualTo(SimulatorReply.Transport.DROP);
            assertThat(fixture.simulator.receivedPushes()).hasSize(1);
            assertThat(fixture.simulator.faults().injected()).containsEntry("drop", 1);
        }
    }

    @Test
    void slowFaultStillReturnsReply() {
        try (SimulatorFixture fixture = new SimulatorFixture(Duration.ofSeconds(2), Duration.ofMillis(50),
                Duration.ofSeconds(20))) {
            String bearer = fixture.bearer();
            fixture.simulator.faults().set(Plan.parse("slow=100"));

            SimulatorReply reply = fixture.simulator.processRequest(bearer,
                    fixture.pushBody(SimulatorFixture.PHONE, SimulatorFixture.CALLBACK_URL).toString());

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body().get("ResponseCode").asText()).isEqualTo("0");
            assertThat(fixture.simulator.faults().injected()).containsEntry("slow", 1);
        }
    }

    @Test
    void faultsHitTokenAndQueryToo() {
        try (SimulatorFixture fixture = new SimulatorFixture()) {
            String checkoutRequestId = fixture.acceptedPush(SimulatorFixture.PHONE, SimulatorFixture.CALLBACK_URL);
            String bearer = fixture.bearer();
            fixture.simulator.faults().set(Plan.parse("error=100"));

            SimulatorReply token = fixture.simulator.generateToken("client_credentials",
                    SimulatorFixture.basicAuthorization(SimulatorFixture.CONSUMER_KEY, SimulatorFixture.CONSUMER_SECRET));
            SimulatorReply query = fixture.simulator.query(bearer, fixture.queryBody(checkoutRequestId).toString());

            assertThat(token.status()).isEqualTo(503);
            assertThat(query.status()).isEqualTo(503);
        }
    }

    @Test
    void resourceSendsHtmlPage() {
        try (SimulatorFixture fixture = new SimulatorFixture()) {
            String bearer = fixture.bearer();
            fixture.simulator.faults().set(Plan.parse("html=100"));
            SimulatorResource resource = new SimulatorResource(fixture.simulator);

            Response response = resource.processRequest(bearer,
                    fixture.pushBody(SimulatorFixture.PHONE, SimulatorFixture.CALLBACK_URL).toString());

            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(response.getMediaType()).isEqualTo(MediaType.TEXT_HTML_TYPE);
            assertThat(response.getEntity()).isEqualTo(SimulatorReply.HTML_PAGE);
        }
    }

    @Test
    void faultControlIsOffWithoutConfiguration() {
        try (SimulatorFixture fixture = new SimulatorFixture()) {
            SimulatorResource resource = new SimulatorResource(fixture.simulator);

            assertThat(resource.faults().getStatus()).isEqualTo(404);
            assertThat(resource.replaceFaults("drop=100").getStatus()).isEqualTo(404);
            assertThat(fixture.simulator.faults().plan()).isEqualTo(Plan.NONE);
        }
    }

    @Test
    void africasTalkingServerErrorSendsNothing() {
        AfricasTalkingSimulator simulator = new AfricasTalkingSimulator(true, "BADSENDER", Duration.ofMillis(10));
        simulator.faults().set(Plan.parse("error=100"));

        SimulatorReply reply = simulator.send("key", "sandbox", "+254711000002", "Receipt", null);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(simulator.receivedMessages()).isEmpty();
    }

    @Test
    void africasTalkingDropHidesSentMessage() {
        AfricasTalkingSimulator simulator = new AfricasTalkingSimulator(true, "BADSENDER", Duration.ofMillis(10));
        simulator.faults().set(Plan.parse("drop=100"));

        SimulatorReply reply = simulator.send("key", "sandbox", "+254711000002", "Receipt", null);

        assertThat(reply.transport()).isEqualTo(SimulatorReply.Transport.DROP);
        assertThat(simulator.receivedMessages()).hasSize(1);
    }

    @Test
    void africasTalkingResourceSendsHtmlPage() {
        AfricasTalkingSimulator simulator = new AfricasTalkingSimulator(true, "BADSENDER", Duration.ofMillis(10));
        simulator.faults().set(Plan.parse("html=100"));
        AfricasTalkingSimulatorResource resource = new AfricasTalkingSimulatorResource(simulator);

        Response response = resource.send("key", "sandbox", "+254711000002", "Receipt", null);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getMediaType()).isEqualTo(MediaType.TEXT_HTML_TYPE);
    }

    private static List<Optional<Fault>> draw(SimulatorFaults faults, int count) {
        List<Optional<Fault>> drawn = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            drawn.add(faults.next());
        }
        return drawn;
    }
}
