package co.malipo.core.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.core.config.GatewayConfig;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;

/**
 * JAX-RS resource that serves {@link DarajaSimulator} under {@code /simulator/daraja}, so a Daraja client's base URL
 * is {@code http://host:port/simulator/daraja}. Bodies are taken as text so that the simulator, not the framework,
 * replies to malformed JSON.
 */
@Path("/simulator/daraja")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class SimulatorResource {

    private final DarajaSimulator simulator;
    private final boolean faultControl;
    /** The current HTTP request, whose connection the dropped-connection fault closes; null outside a server. */
    private final Instance<HttpServerRequest> requests;

    @Inject
    public SimulatorResource(DarajaSimulator simulator, GatewayConfig config, Instance<HttpServerRequest> requests) {
        this.simulator = simulator;
        this.faultControl = config.simulator().faultControl();
        this.requests = requests;
    }

    /** Creates the resource without fault control and without access to the connection, for calls without a server. */
    public SimulatorResource(DarajaSimulator simulator) {
        this.simulator = simulator;
        this.faultControl = false;
        this.requests = null;
    }

    @GET
    @Path("/oauth/v1/generate")
    public Response generateToken(
            @QueryParam("grant_type") String grantType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return toResponse(simulator.generateToken(grantType, authorization));
    }

    @POST
    @Path("/mpesa/stkpush/v1/processrequest")
    @Consumes(MediaType.WILDCARD)
    public Response processRequest(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        return toResponse(simulator.processRequest(authorization, body));
    }

    @POST
    @Path("/mpesa/stkpushquery/v1/query")
    @Consumes(MediaType.WILDCARD)
    public Response query(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        return toResponse(simulator.query(authorization, body));
    }

    /**
     * Returns the fault plan and the count of each fault injected so far, as {@code {"plan": ..., "injected": ...}}.
     * Returns 404 unless the simulator and {@code malipo.simulator.fault-control} are enabled.
     */
    @GET
    @Path("/faults")
    public Response faults() {
        if (!simulator.enabled() || !faultControl) {
            return toResponse(simulator.unknownPath());
        }
        return Response.ok(faultReport()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * Replaces the fault plan with the one in the body, for example {@code drop=10,seed=3}, or with no faults for an
     * empty body. Returns the new plan as {@link #faults()} does, or 400 naming the invalid part.
     */
    @PUT
    @Path("/faults")
    @Consumes(MediaType.WILDCARD)
    public Response replaceFaults(String body) {
        if (!simulator.enabled() || !faultControl) {
            return toResponse(simulator.unknownPath());
        }
        try {
            simulator.faults().set(SimulatorFaults.Plan.parse(body));
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Map.of("detail", e.getMessage())).type(MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
        return Response.ok(faultReport()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/{path: .*}")
    public Response unknownGet() {
        return toResponse(simulator.unknownPath());
    }

    @POST
    @Path("/{path: .*}")
    @Consumes(MediaType.WILDCARD)
    public Response unknownPost() {
        return toResponse(simulator.unknownPath());
    }

    private Map<String, Object> faultReport() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("plan", simulator.faults().plan().format());
        report.put("injected", simulator.faults().injected());
        return report;
    }

    private Response toResponse(SimulatorReply reply) {
        return switch (reply.transport()) {
            case JSON -> Response.status(reply.status()).entity(reply.body()).type(MediaType.APPLICATION_JSON_TYPE).build();
            case HTML -> Response.status(reply.status()).entity(SimulatorReply.HTML_PAGE).type(MediaType.TEXT_HTML_TYPE)
                    .build();
            case DROP -> dropConnection();
        };
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
