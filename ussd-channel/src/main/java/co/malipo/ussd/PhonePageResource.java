package co.malipo.ussd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.simulator.AfricasTalkingSimulator;
import co.malipo.core.simulator.AfricasTalkingSimulator.ReceivedMessage;

/**
 * Test-mode phone page: a browser form that posts to {@code /ussd/{token}} as Africa's Talking
 * does (the page carries the configured token, which is why it exists only in test mode), and
 * an SMS inbox read from the built-in Africa's Talking simulator. Both return 404 unless
 * {@code malipo.sms.simulator-enabled} is true, because the inbox shows every customer's
 * messages to anyone who can reach the port.
 */
@Path("/phone")
public class PhonePageResource {

    static final String PAGE_RESOURCE = "phone-page/index.html";
    /** The page's placeholder for the USSD callback path. */
    static final String USSD_PATH_PLACEHOLDER = "__USSD_PATH__";

    /** One SMS that the simulator accepted for the requested phone. */
    public record PhoneMessage(String from, String message) {
    }

    private final boolean enabled;
    private final AfricasTalkingSimulator simulator;
    private final String page;

    @Inject
    public PhonePageResource(GatewayConfig config, AfricasTalkingSimulator simulator) {
        this(config.sms().simulatorEnabled(), simulator, config.ussd().callbackToken().orElse(""));
    }

    PhonePageResource(boolean enabled, AfricasTalkingSimulator simulator, String ussdToken) {
        this.enabled = enabled;
        this.simulator = simulator;
        String ussdPath = "/ussd/" + URLEncoder.encode(ussdToken, StandardCharsets.UTF_8);
        this.page = enabled ? readPage().replace(USSD_PATH_PLACEHOLDER, ussdPath) : "";
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String page() {
        requireEnabled();
        return page;
    }

    /**
     * Lists the messages that the simulator accepted for {@code phone}, oldest first. The phone may
     * be in any form that {@code PhoneNumbers.normalise} reads.
     */
    @GET
    @Path("/messages")
    @Produces(MediaType.APPLICATION_JSON)
    public List<PhoneMessage> messages(@QueryParam("phone") String phone) {
        requireEnabled();
        Optional<String> requested = UssdResource.normalisePhone(phone);
        if (requested.isEmpty()) {
            throw new BadRequestException("phone is missing or not a Kenyan mobile number: use the form +2547XXXXXXXX");
        }
        List<PhoneMessage> inbox = new ArrayList<>();
        for (ReceivedMessage received : simulator.receivedMessages()) {
            if (isAddressedTo(received, requested.get())) {
                inbox.add(new PhoneMessage(received.from(), received.message()));
            }
        }
        return inbox;
    }

    private static boolean isAddressedTo(ReceivedMessage received, String phone) {
        for (String number : received.to().split(",")) {
            if (UssdResource.normalisePhone(number.strip()).filter(phone::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private void requireEnabled() {
        if (!enabled) {
            throw new NotFoundException();
        }
    }

    private static String readPage() {
        try (InputStream in = PhonePageResource.class.getClassLoader().getResourceAsStream(PAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + PAGE_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read classpath resource " + PAGE_RESOURCE, e);
        }
    }
}
