package co.malipo.ussd;

import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

/**
 * Africa's Talking's inbound SMS callback. Africa's Talking signs nothing, so the path carries the
 * secret {@code malipo.sms.inbound-token} (see {@link CallbackGuard}). The reply is HTTP 200 at
 * once, and {@link SmsCommands} handles the message on another thread.
 */
@Path("/sms/inbound/{token}")
public class SmsInboundResource {

    private static final Logger LOG = Logger.getLogger(SmsInboundResource.class);

    private final CallbackGuard guard;
    private final SmsCommands commands;

    public SmsInboundResource(CallbackGuard guard, SmsCommands commands) {
        this.guard = guard;
        this.commands = commands;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response receive(@PathParam("token") String pathToken, @Context HttpServerRequest request,
            @FormParam("from") String from,
            @FormParam("to") String to, @FormParam("text") String text, @FormParam("date") String date,
            @FormParam("id") String id, @FormParam("linkId") String linkId,
            @FormParam("networkCode") String networkCode) {
        if (!guard.admitsSms(pathToken, request)) {
            throw new NotFoundException();
        }
        if (id == null || id.isBlank() || id.length() > 100) {
            LOG.warnf("Inbound SMS ignored: missing or invalid id");
            return Response.ok().build();
        }
        Optional<String> phone = UssdResource.normalisePhone(from);
        if (phone.isEmpty()) {
            LOG.warnf("Inbound SMS %s ignored: from is not a Kenyan mobile number", id);
            return Response.ok().build();
        }
        String body = text == null ? "" : text;
        commands.submit(id, phone.get(), body);
        return Response.ok().build();
    }
}
