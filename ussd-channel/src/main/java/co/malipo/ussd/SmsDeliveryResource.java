package co.malipo.ussd;

import java.time.Clock;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import co.malipo.core.sms.SmsRepository;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

/**
 * Africa's Talking's SMS delivery report callback. It shares the secret path token of the inbound
 * SMS callback, and every admitted report gets HTTP 200, so Africa's Talking never re-posts one
 * that Malipo cannot use.
 */
@Path("/sms/delivery/{token}")
public class SmsDeliveryResource {

    private static final Logger LOG = Logger.getLogger(SmsDeliveryResource.class);
    /** The status words of Africa's Talking's delivery reports. */
    static final Set<String> STATUSES = Set.of("Sent", "Submitted", "Buffered", "Rejected", "Success", "Failed");
    private static final int MAX_FIELD_LENGTH = 100;

    private final CallbackGuard guard;
    private final SmsRepository messages;
    private final Clock clock;

    public SmsDeliveryResource(CallbackGuard guard, SmsRepository messages, Clock clock) {
        this.guard = guard;
        this.messages = messages;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response report(@PathParam("token") String pathToken, @Context HttpServerRequest request,
            @FormParam("id") String id, @FormParam("status") String status,
            @FormParam("failureReason") String failureReason) {
        if (!guard.admitsSms(pathToken, request)) {
            throw new NotFoundException();
        }
        if (id == null || id.isBlank() || id.length() > MAX_FIELD_LENGTH || status == null || !STATUSES.contains(status)) {
            LOG.warnf("SMS delivery report ignored: missing id or unknown status");
            return Response.ok().build();
        }
        String reason = failureReason == null || failureReason.isBlank() ? null
                : failureReason.substring(0, Math.min(failureReason.length(), MAX_FIELD_LENGTH));
        if (!messages.applyDeliveryReport(id, status, reason, clock.instant())) {
            LOG.debugf("SMS delivery report for %s changed nothing: unknown id or the message is already final", id);
        }
        return Response.ok().build();
    }
}
