package co.malipo.core.simulator;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;

/**
 * JAX-RS resource that serves {@link AfricasTalkingSimulator} under {@code /simulator/africastalking},
 * so an SMS client's base URL is {@code http://host:port/simulator/africastalking}.
 */
@Path("/simulator/africastalking")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AfricasTalkingSimulatorResource {

    private final AfricasTalkingSimulator simulator;

    @Inject
    public AfricasTalkingSimulatorResource(AfricasTalkingSimulator simulator) {
        this.simulator = simulator;
    }

    @POST
    @Path("/version1/messaging")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response send(@HeaderParam("apiKey") String apiKey, @FormParam("username") String username,
            @FormParam("to") String to, @FormParam("message") String message, @FormParam("from") String from) {
        SimulatorReply reply = simulator.send(apiKey, username, to, message, from);
        return Response.status(reply.status()).entity(reply.body()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
