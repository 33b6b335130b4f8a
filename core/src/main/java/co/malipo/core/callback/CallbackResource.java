package co.malipo.core.callback;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.core.config.GatewayConfig;

/**
 * Daraja's STK callback endpoint. The path carries the invoice's random token; Daraja signs
 * nothing, so the token and the query reconciliation are what make a forged callback useless.
 */
@Path("/daraja/callback/{token}")
public class CallbackResource {

    private final CallbackService callbacks;
    private final GatewayConfig config;

    public CallbackResource(CallbackService callbacks, GatewayConfig config) {
        this.callbacks = callbacks;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@PathParam("token") String token, String body) {
        if (!config.callback().enabled()) {
            return Response.status(404).entity(Map.of("detail", "Not found.")).build();
        }
        if (token.length() > 64 || body == null || body.isBlank()) {
            return Response.status(400).entity(Map.of("ResultCode", 1, "ResultDesc", "Rejected: empty body or bad token"))
                    .build();
        }
        callbacks.receive(token, body);
        return Response.ok(Map.of("ResultCode", 0, "ResultDesc", "Accepted")).build();
    }
}
