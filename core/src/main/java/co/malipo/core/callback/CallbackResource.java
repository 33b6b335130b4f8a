package co.malipo.core.callback;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.support.SourceNetworks;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

/**
 * Daraja's STK callback endpoint. Daraja signs nothing, so the random per-invoice token in the
 * path, the optional source-network allowlist and the query reconciliation are what make a forged
 * callback useless. A callback whose token names no invoice, or names another invoice than its
 * CheckoutRequestID, is stored for review and gets a 404 reply.
 */
@Path("/daraja/callback/{token}")
public class CallbackResource {

    private static final Logger LOG = Logger.getLogger(CallbackResource.class);
    /** Real STK callbacks are under 2 KB; anything much larger is not one and is not stored. */
    static final int MAX_BODY_CHARS = 16 * 1024;

    private final CallbackService callbacks;
    private final GatewayConfig config;
    private final SourceNetworks allowedNetworks;

    public CallbackResource(CallbackService callbacks, GatewayConfig config) {
        this.callbacks = callbacks;
        this.config = config;
        this.allowedNetworks = SourceNetworks.of(config.callback().allowedNetworks());
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@PathParam("token") String token, String body, @Context HttpServerRequest request) {
        if (!config.callback().enabled()) {
            return Response.status(404).entity(Map.of("detail", "Not found.")).build();
        }
        if (!allowedNetworks.allows(request)) {
            LOG.warnf("Security: callback from %s rejected, outside malipo.callback.allowed-networks",
                    SourceNetworks.source(request));
            return Response.status(403).entity(Map.of("ResultCode", 1, "ResultDesc", "Rejected: source not allowed"))
                    .build();
        }
        if (body != null && body.length() > MAX_BODY_CHARS) {
            return Response.status(413).entity(Map.of("ResultCode", 1, "ResultDesc", "Rejected: body too large"))
                    .build();
        }
        if (token.length() > 64 || body == null || body.isBlank() || body.indexOf('\u0000') >= 0) {
            return Response.status(400).entity(Map.of("ResultCode", 1, "ResultDesc", "Rejected: empty body or bad token"))
                    .build();
        }
        CallbackService.Outcome outcome = callbacks.receive(token, body);
        return switch (outcome) {
            case ORPHAN -> Response.status(404).entity(Map.of("ResultCode", 1, "ResultDesc", "Rejected: unknown callback"))
                    .build();
            case UNREADABLE -> Response.status(400)
                    .entity(Map.of("ResultCode", 1, "ResultDesc", "Rejected: not an STK callback")).build();
            default -> Response.ok(Map.of("ResultCode", 0, "ResultDesc", "Accepted")).build();
        };
    }
}
