package co.malipo.ussd;

import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.PhoneNumbers;
import co.malipo.core.ratelimit.RateLimiter;
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
    /** NUL and unpaired surrogates, which PostgreSQL text columns reject. */
    private static final Pattern UNSTORABLE = Pattern.compile("[\\x{0}\\p{Cs}]");

    private final CallbackGuard guard;
    private final SmsCommands commands;
    private final RateLimiter perPhone;

    public SmsInboundResource(CallbackGuard guard, GatewayConfig config, SmsCommands commands, Clock clock) {
        this.guard = guard;
        this.commands = commands;
        this.perPhone = new RateLimiter(config.sms().inboundLimitPerPhone(), config.sms().inboundLimitPerPhonePeriod(),
                clock);
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
        if (id == null || id.isBlank() || id.length() > 100 || UNSTORABLE.matcher(id).find()) {
            LOG.warnf("Inbound SMS ignored: missing or invalid id");
            return Response.ok().build();
        }
        Optional<String> phone = UssdResource.normalisePhone(from);
        if (phone.isEmpty()) {
            LOG.warnf("Inbound SMS %s ignored: from is not a Kenyan mobile number", id);
            return Response.ok().build();
        }
        if (perPhone.acquire(phone.get()).isPresent()) {
            // Acknowledged so that Africa's Talking does not post it again. No reply, because replies cost money.
            LOG.warnf("Inbound SMS %s from %s dropped: the phone is over its limit of %s messages", id,
                    PhoneNumbers.mask(phone.get()),
                    perPhone.describe());
            return Response.ok().build();
        }
        // PostgreSQL text cannot hold NUL, so such characters become U+FFFD instead of failing the insert.
        String body = text == null ? "" : UNSTORABLE.matcher(text).replaceAll("\uFFFD");
        commands.submit(id, phone.get(), body);
        return Response.ok().build();
    }
}
