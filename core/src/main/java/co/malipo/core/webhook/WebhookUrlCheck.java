package co.malipo.core.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a merchant's webhook URL before it is stored. Every URL must be an absolute http or https
 * URL of at most {@value #MAX_LENGTH} characters, without whitespace, control characters or user
 * info. Unless local URLs are allowed, it must also be https on a host that is not
 * {@code localhost} and whose every address is public: not loopback, private, link-local (which
 * includes the cloud metadata address 169.254.169.254), unique-local IPv6, unspecified, shared
 * (100.64.0.0/10), broadcast, multicast, reserved (240.0.0.0/4, 198.18.0.0/15, 192.0.0.0/24),
 * IPv4-compatible IPv6, Teredo, or a NAT64 or 6to4 address that carries such an IPv4 address.
 *
 * <p>The sender runs the check again before each delivery that needs a public host. NOTE: the HTTP
 * client resolves the name once more when it connects, so a DNS record that changes between that
 * check and the connection still reaches a private address.
 */
public final class WebhookUrlCheck {

    public static final int MAX_LENGTH = 2000;

    /** Resolver of host names to addresses, {@link InetAddress#getAllByName} outside tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;

    public WebhookUrlCheck(Resolver resolver) {
        this.resolver = resolver;
    }

    /** Creates a check that resolves names with the system resolver. */
    public static WebhookUrlCheck standard() {
        return new WebhookUrlCheck(InetAddress::getAllByName);
    }

    /**
     * Describes what is wrong with the URL as a sentence for the merchant, or returns empty when it
     * is acceptable. With {@code allowLocal}, http and local hosts pass and no name is resolved.
     */
    public Optional<String> problem(String url, boolean allowLocal) {
        if (url.isEmpty()) {
            return Optional.of("This field may not be blank.");
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("Ensure this URL has no more than " + MAX_LENGTH + " characters.");
        }
        if (url.codePoints().anyMatch(WebhookUrlCheck::isForbiddenCharacter)) {
            return Optional.of("The URL contains whitespace or a control character. Remove it or percent-encode it.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("Enter a valid URL: " + e.getReason() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            return Optional.of("Enter an absolute http or https URL, such as https://shop.example.com/webhooks/malipo.");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("The URL must not contain a user name or password. Authenticate deliveries by their"
                    + " signature instead.");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("The URL has no valid host name.");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return Optional.of("The port must be between 1 and 65535.");
        }
        if (allowLocal) {
            return Optional.empty();
        }
        if (!scheme.equals("https")) {
            return Optional.of("Use an https URL: live endpoints must use TLS.");
        }
        return hostProblem(uri.getHost());
    }

    private Optional<String> hostProblem(String uriHost) {
        String host = uriHost.startsWith("[") ? uriHost.substring(1, uriHost.length() - 1) : uriHost;
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return Optional.of("Host " + host + " is this machine. Use a public host name.");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of("Host " + host + " could not be resolved. Check the host name.");
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = nonPublicKind(address);
            if (kind.isPresent()) {
                return Optional.of("Host " + host + " resolves to " + address.getHostAddress() + ", a " + kind.get()
                        + " address. Use a host with public addresses only.");
            }
        }
        return Optional.empty();
    }

    /** Names the kind of a non-public address, or returns empty for a public one. */
    static Optional<String> nonPublicKind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("private");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            if (first == 0) {
                return Optional.of("unspecified");
            }
            if (first == 100 && second >= 64 && second < 128) {
                return Optional.of("shared (carrier-grade NAT)");
            }
            if (first == 255) {
                return Optional.of("broadcast");
            }
            if (first >= 240) {
                return Optional.of("reserved (240.0.0.0/4)");
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return Optional.of("benchmarking (198.18.0.0/15)");
            }
            if (first == 192 && second == 0 && (bytes[2] & 0xff) == 0) {
                return Optional.of("IETF protocol assignment (192.0.0.0/24)");
            }
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return Optional.of("unique-local");
            }
            if (isIpv4Compatible(bytes)) {
                return Optional.of("IPv4-compatible IPv6");
            }
            if (isTeredo(bytes)) {
                return Optional.of("Teredo tunnel (2001::/32)");
            }
            Optional<InetAddress> embedded = embeddedIpv4(bytes);
            if (embedded.isPresent()) {
                Optional<String> kind = nonPublicKind(embedded.get());
                if (kind.isPresent()) {
                    return Optional.of(kind.get() + " IPv4 inside a NAT64 or 6to4");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the IPv4 address that a translator or tunnel reaches for a NAT64 address
     * ({@code 64:ff9b::/96}, RFC 6052) or a 6to4 address ({@code 2002::/16}, RFC 3056).
     */
    private static Optional<InetAddress> embeddedIpv4(byte[] bytes) {
        byte[] ipv4 = null;
        if ((bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff
                && (bytes[3] & 0xff) == 0x9b && allZero(bytes, 4, 12)) {
            ipv4 = java.util.Arrays.copyOfRange(bytes, 12, 16);
        } else if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02) {
            ipv4 = java.util.Arrays.copyOfRange(bytes, 2, 6);
        }
        if (ipv4 == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(ipv4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes always make an IPv4 address", e);
        }
    }

    private static boolean isTeredo(byte[] bytes) {
        return (bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x01 && bytes[2] == 0 && bytes[3] == 0;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** True for {@code ::/96}, the deprecated form that embeds an IPv4 address in the last four bytes. */
    private static boolean isIpv4Compatible(byte[] bytes) {
        for (int i = 0; i < 12; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isForbiddenCharacter(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || Character.isISOControl(codePoint)
                || Character.getType(codePoint) == Character.FORMAT;
    }
}
