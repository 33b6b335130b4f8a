package co.malipo.core.callback;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import co.malipo.core.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Checks the public callback base URL at start, because Daraja silently drops callbacks it
 * cannot deliver: it must be https, free of whitespace, on a public host, and without
 * "mpesa" in its path (Safaricom rejects such URLs).
 */
@ApplicationScoped
public class CallbackUrlCheck {

    void onStart(@Observes StartupEvent event, GatewayConfig config) {
        config.callback().publicBaseUrl().flatMap(CallbackUrlCheck::problem).ifPresent(problem -> {
            throw new IllegalStateException("malipo.callback.public-base-url is invalid: " + problem);
        });
    }

    /** Describes what is wrong with a live callback base URL, or returns empty when it is fine. */
    public static Optional<String> problem(String url) {
        if (!url.equals(url.strip()) || url.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of("it contains whitespace");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("it is not a URL (" + e.getMessage() + ")");
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            return Optional.of("it must be an absolute https URL such as https://pay.example.co.ke");
        }
        if (uri.getPath() != null && uri.getPath().toLowerCase(Locale.ROOT).contains("mpesa")) {
            return Optional.of("Safaricom rejects callback URLs whose path contains \"mpesa\"");
        }
        if (isLocalHost(uri.getHost())) {
            return Optional.of("host " + uri.getHost() + " is loopback, private or link-local; Daraja cannot reach it");
        }
        return Optional.empty();
    }

    /** True for localhost and literal loopback, private, link-local or unspecified addresses; names are not resolved. */
    private static boolean isLocalHost(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost") || bare.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
            return true;
        }
        if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(bare);
            return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress();
        } catch (java.net.UnknownHostException e) {
            return true;
        }
    }
}
