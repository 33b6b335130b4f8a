package co.malipo.core.simulator;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;

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

    @Inject
    public SimulatorResource(DarajaSimulator simulator) {
        this.simulator = simulator;
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

    private static Response toResponse(SimulatorReply reply) {
        return Response.status(reply.status()).entity(reply.body()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
