package co.malipo.ussd;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import co.malipo.core.config.GatewayConfig;
import co.malipo.core.support.SourceNetworks;
import io.vertx.core.http.HttpServerRequest;
import org.jboss.logging.Logger;

/**
 * Decides whether a request may be an Africa's Talking callback. Africa's Talking signs nothing,
 * so each callback path carries a secret token, and {@code malipo.sms.allowed-networks} may
 * further limit the source addresses.
 */
@ApplicationScoped
public class CallbackGuard {

    private static final Logger LOG = Logger.getLogger(CallbackGuard.class);

    private final Optional<String> ussdToken;
    private final Optional<String> smsToken;
    private final SourceNetworks networks;

    @Inject
    public CallbackGuard(GatewayConfig config) {
        this(config.ussd().callbackToken(), config.sms().inboundToken(), SourceNetworks.of(config.sms().allowedNetworks()));
    }

    CallbackGuard(Optional<String> ussdToken, Optional<String> smsToken, SourceNetworks networks) {
        this.ussdToken = ussdToken.filter(value -> !value.isBlank());
        this.smsToken = smsToken.filter(value -> !value.isBlank());
        this.networks = networks;
    }

    /** Returns whether a USSD request with this path token from this source may be served. */
    public boolean admitsUssd(String pathToken, HttpServerRequest request) {
        return admits("USSD", ussdToken, pathToken, request);
    }

    /** Returns whether an SMS callback (inbound message or delivery report) with this path token may be served. */
    public boolean admitsSms(String pathToken, HttpServerRequest request) {
        return admits("SMS", smsToken, pathToken, request);
    }

    private boolean admits(String channel, Optional<String> expected, String pathToken, HttpServerRequest request) {
        if (expected.isEmpty() || pathToken == null || !MessageDigest.isEqual(
                expected.get().getBytes(StandardCharsets.UTF_8), pathToken.getBytes(StandardCharsets.UTF_8))) {
            LOG.warnf("Security: %s callback from %s rejected, unknown path token", channel, SourceNetworks.source(request));
            return false;
        }
        if (!networks.allows(request)) {
            LOG.warnf("Security: %s callback from %s rejected, outside malipo.sms.allowed-networks", channel,
                    SourceNetworks.source(request));
            return false;
        }
        return true;
    }
}
