package co.malipo.ussd;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.invoice.PhoneNumbers;
import co.malipo.core.ratelimit.RateLimiter;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

/**
 * Africa's Talking USSD callback. Every reply is HTTP 200 with a {@code text/plain} body that
 * starts with {@code CON} (the session continues) or {@code END} (it closes). The path carries the
 * secret {@code malipo.ussd.callback-token}; any other path token gets a 404.
 */
@Path("/ussd/{token}")
public class UssdResource {

    static final String UNAVAILABLE = "END " + UssdTexts.ENGLISH.unavailable();
    private static final Logger LOG = Logger.getLogger(UssdResource.class);

    /** Maximum number of {@code *}-separated inputs replayed per request. A real session has about ten. */
    static final int MAX_INPUTS = 50;
    static final String TOO_MANY_INPUTS = "END Too many steps in one session. Please dial again."
            + " Hatua ni nyingi mno. Tafadhali piga tena.";

    private final UssdMenu menu;
    private final CallbackGuard guard;
    private final RateLimiter perPhone;

    public UssdResource(UssdMenu menu, CallbackGuard guard, GatewayConfig config, Clock clock) {
        this.menu = menu;
        this.guard = guard;
        this.perPhone = new RateLimiter(config.ussd().requestLimitPerPhone(), config.ussd().requestLimitPerPhonePeriod(),
                clock);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_PLAIN)
    public String session(@PathParam("token") String token, @Context HttpServerRequest request,
            @FormParam("sessionId") String sessionId, @FormParam("serviceCode") String serviceCode,
            @FormParam("phoneNumber") String phoneNumber, @FormParam("text") String text,
            @FormParam("networkCode") String networkCode) {
        if (!guard.admitsUssd(token, request)) {
            throw new NotFoundException();
        }
        if (sessionId == null || sessionId.isBlank() || sessionId.length() > 100
                || sessionId.chars().anyMatch(Character::isISOControl)) {
            LOG.warnf("USSD request rejected: invalid sessionId");
            return UNAVAILABLE;
        }
        Optional<String> phone = normalisePhone(phoneNumber);
        if (phone.isEmpty()) {
            LOG.warnf("USSD session %s: phoneNumber is not a Kenyan mobile number", sessionId);
            // The session's language is unknown here, so the reply carries both.
            return "END This service needs a Kenyan mobile number. Huduma hii inahitaji nambari ya simu ya Kenya.";
        }
        if (text != null && text.chars().filter(c -> c == '*').count() >= MAX_INPUTS) {
            LOG.warnf("USSD session %s: text has more than %d inputs; rejected", sessionId, MAX_INPUTS);
            return TOO_MANY_INPUTS;
        }
        Optional<Duration> wait = perPhone.acquire(phone.get());
        if (wait.isPresent()) {
            long minutes = Math.max(1, (RateLimiter.retryAfterSeconds(wait.get()) + 59) / 60);
            LOG.warnf("USSD session %s: phone %s is over its limit of %s requests; rejected", sessionId,
                    PhoneNumbers.mask(phone.get()), perPhone.describe());
            return "END Too many requests. Please try again in " + minutes + " min."
                    + " Maombi ni mengi mno. Jaribu tena baada ya dakika " + minutes + ".";
        }
        try {
            return menu.reply(new UssdRequest(sessionId, serviceCode, phone.get(), text, networkCode));
        } catch (RuntimeException e) {
            LOG.errorf(e, "USSD session %s failed for phone %s", sessionId, PhoneNumbers.mask(phone.get()));
            return UNAVAILABLE;
        }
    }

    /**
     * Normalises Africa's Talking's {@code phoneNumber}. A {@code +} that the sender did not
     * percent-encode arrives as a space, so leading spaces are read as that plus.
     */
    static Optional<String> normalisePhone(String phoneNumber) {
        if (phoneNumber == null) {
            return Optional.empty();
        }
        String trimmed = phoneNumber.strip();
        if (phoneNumber.startsWith(" ") && !trimmed.startsWith("+")) {
            trimmed = "+" + trimmed;
        }
        return PhoneNumbers.normalise(trimmed);
    }
}
