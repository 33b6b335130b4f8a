package co.malipo.core.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.core.config.GatewayConfig;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * JAX-RS resource that serves {@link AfricasTalkingSimulator} under {@code /simulator/africastalking},
 * so an SMS client's base URL is {@code http://host:port/simulator/africastalking}.
 */
@Path("/simulator/africastalking")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AfricasTalkingSimulatorResource {

    private final AfricasTalkingSimulator simulator;
    private final boolean faultControl;
    /** The current HTTP request, whose connection the dropped-connection fault closes; null outside a server. */
    private final Instance<HttpServerRequest> requests;

    @Inject
    public AfricasTalkingSimulatorResource(AfricasTalkingSimulator simulator, GatewayConfig config,
            Instance<HttpServerRequest> requests) {
        this.simulator = simulator;
        this.faultControl = config.simulator().faultControl();
        this.requests = requests;
    }

    /** Creates the resource without fault control and without access to the connection, for calls without a server. */
    public AfricasTalkingSimulatorResource(AfricasTalkingSimulator simulator) {
        this.simulator = simulator;
        this.faultControl = false;
        this.requests = null;
    }

    @POST
    @Path("/version1/messaging")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response send(@HeaderParam("apiKey") String apiKey, @FormParam("username") String username,
            @FormParam("to") String to, @FormParam("message") String message, @FormParam("from") String from) {
        SimulatorReply reply = simulator.send(apiKey, username, to, message, from);
        return switch (reply.transport()) {
            case JSON -> Response.status(reply.status()).entity(reply.body()).type(MediaType.APPLICATION_JSON_TYPE).build();
            case HTML -> Response.status(reply.status()).entity(SimulatorReply.HTML_PAGE).type(MediaType.TEXT_HTML_TYPE)
                    .build();
            case DROP -> dropConnection();
        };
    }

    /**
     * Returns the fault plan and the count of each fault injected so far. Returns 404 unless this simulator and
     * {@code malipo.simulator.fault-control} are enabled.
     */
    @GET
    @Path("/faults")
    public Response faults() {
        if (!simulator.enabled() || !faultControl) {
            return notFound();
        }
        return Response.ok(faultReport()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Replaces the fault plan with the one in the body, in the form of {@code malipo.sms.simulator-faults}. */
    @PUT
    @Path("/faults")
    @Consumes(MediaType.WILDCARD)
    public Response replaceFaults(String body) {
        if (!simulator.enabled() || !faultControl) {
            return notFound();
        }
        try {
            simulator.faults().set(SimulatorFaults.Plan.parse(body));
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Map.of("detail", e.getMessage())).type(MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
        return Response.ok(faultReport()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private Map<String, Object> faultReport() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("plan", simulator.faults().plan().format());
        report.put("injected", simulator.faults().injected());
        return report;
    }

    private static Response notFound() {
        SimulatorReply reply = SimulatorReply.notFound();
        return Response.status(reply.status()).entity(reply.body()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Closes the client's connection, so the client sees it end without a reply. */
    private Response dropConnection() {
        if (requests == null || !requests.isResolvable()) {
            throw new IllegalStateException("the dropped-connection fault needs the HTTP request, which is missing");
        }
        requests.get().connection().close();
        // Nothing reaches the client: the connection is closed before this reply is written.
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).build();
    }
}
